// The settings have one source: package.json declares their defaults, bounds and allowed values,
// and src/configDefaults.ts (what config.ts falls back to and clamps with) must say the same.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ScheduleType, scheduleTypes } from '../../src/api/enums';
import {
  autoRefreshSeconds,
  bounded,
  GROUP_BY,
  MIN_AUTO_REFRESH_SECONDS,
  NOTIFY_ON,
  NUMBER_SETTINGS,
  oneOf,
  OTHER_DEFAULTS,
  PINNED_RUNS,
} from '../../src/configDefaults';
import { repoRoot } from '../host/paths';

interface SettingSchema {
  type: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  enum?: string[];
  enumDescriptions?: string[];
  items?: { type: string; enum?: string[]; enumDescriptions?: string[] };
  description?: string;
  markdownDescription?: string;
}

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
/** The `pyramid.*` settings by their key without the prefix. */
const declared = new Map<string, SettingSchema>(
  Object.entries(manifest.contributes.configuration.properties as Record<string, SettingSchema>).map(([name, schema]) => [name.replace(/^pyramid\./, ''), schema]),
);
const ENUMS: Record<string, readonly string[]> = { groupBy: GROUP_BY, notifyOn: NOTIFY_ON, pinnedRuns: PINNED_RUNS };

describe('settings: package.json and src/configDefaults.ts', () => {
  it('declare the same settings', () => {
    assert.deepEqual([...declared.keys()].sort(), [...Object.keys(NUMBER_SETTINGS), ...Object.keys(OTHER_DEFAULTS)].sort());
  });

  for (const [key, setting] of Object.entries(NUMBER_SETTINGS)) {
    it(`pyramid.${key}: the same default, minimum and maximum`, () => {
      const schema = declared.get(key);
      assert.ok(schema, `pyramid.${key} is not in package.json`);
      assert.equal(schema.type, 'number');
      assert.deepEqual({ default: schema.default, minimum: schema.minimum, maximum: schema.maximum }, setting);
    });
  }

  for (const [key, value] of Object.entries(OTHER_DEFAULTS)) {
    it(`pyramid.${key}: the same default${key in ENUMS ? ' and allowed values' : ''}, and no bounds`, () => {
      const schema = declared.get(key);
      assert.ok(schema, `pyramid.${key} is not in package.json`);
      assert.deepEqual(schema.default, value);
      assert.equal(schema.minimum, undefined, 'a bound that config.ts does not apply');
      assert.equal(schema.maximum, undefined, 'a bound that config.ts does not apply');
      assert.deepEqual(schema.enum, ENUMS[key]);
      if (schema.enum) {
        assert.equal(schema.enumDescriptions?.length, schema.enum.length, 'one description per value');
      }
    });
  }

  it('pyramid.autoRefreshSeconds: the description names the shortest interval', () => {
    assert.match(declared.get('autoRefreshSeconds')?.markdownDescription ?? '', new RegExp(`at least ${MIN_AUTO_REFRESH_SECONDS}\\b`));
  });

  it('an untrusted workspace cannot set where the token goes, which CAs are trusted, or how often the list reloads or pins are checked', () => {
    const restricted: string[] = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;
    assert.deepEqual([...restricted].sort(), ['pyramid.autoRefreshSeconds', 'pyramid.caCertificates', 'pyramid.pinnedCheckSeconds', 'pyramid.serverUrl']);
    assert.equal(manifest.contributes.configuration.properties['pyramid.caCertificates'].scope, 'machine');
  });

  it('pyramid.scheduleTypes: lists exactly the names of ScheduleType, in code order, each described', () => {
    const items = declared.get('scheduleTypes')?.items;
    assert.ok(items?.enum, 'pyramid.scheduleTypes has no enum');
    const codes = Object.values(ScheduleType).filter((value): value is ScheduleType => typeof value === 'number');
    assert.deepEqual(codes, codes.map((_, index) => index), 'ScheduleType codes run 0, 1, 2, ...');
    assert.equal(items.enum.length, codes.length, 'as many names as ScheduleType has members');
    items.enum.forEach((name, code) => {
      // The wire name (PRINT_ETL) is the member's name (PrintEtl) spelt as the server spells it.
      assert.equal(scheduleTypes.parse(name).code, code, `${name} is not the name of code ${code}`);
      assert.equal(name.replace(/_/g, '').toLowerCase(), ScheduleType[code].toLowerCase(), `${name} is not ScheduleType.${ScheduleType[code]}`);
    });
    assert.equal(items.enumDescriptions?.length, items.enum.length, 'one description per type');
  });
});

describe('settings: the rules config.ts applies to what it reads', () => {
  const poll = NUMBER_SETTINGS.pollIntervalSeconds;

  it('bounded() keeps a number within the bounds and falls back to the default for anything else', () => {
    assert.equal(bounded(5, poll), 5);
    assert.equal(bounded(2.5, poll), 2.5);
    assert.equal(bounded(0, poll), poll.minimum);
    assert.equal(bounded(1e9, poll), poll.maximum);
    for (const odd of [undefined, null, '5', Number.NaN, Number.POSITIVE_INFINITY, [5], {}]) {
      assert.equal(bounded(odd, poll), poll.default, `for ${String(odd)}`);
    }
  });

  it('autoRefreshSeconds(): 0 is off, anything else at least MIN_AUTO_REFRESH_SECONDS and at most the maximum', () => {
    assert.equal(MIN_AUTO_REFRESH_SECONDS, 10);
    assert.equal(autoRefreshSeconds(0), 0);
    assert.equal(autoRefreshSeconds(-5), 0);
    assert.equal(autoRefreshSeconds(undefined), 0);
    assert.equal(autoRefreshSeconds('30'), 0);
    assert.equal(autoRefreshSeconds(0.001), MIN_AUTO_REFRESH_SECONDS);
    assert.equal(autoRefreshSeconds(3), MIN_AUTO_REFRESH_SECONDS);
    assert.equal(autoRefreshSeconds(45), 45);
    assert.equal(autoRefreshSeconds(1e9), NUMBER_SETTINGS.autoRefreshSeconds.maximum);
  });

  it('oneOf() keeps an allowed value and falls back to the first', () => {
    assert.equal(oneOf('status', GROUP_BY), 'status');
    assert.equal(oneOf('none', NOTIFY_ON), 'none');
    assert.equal(oneOf('Status', GROUP_BY), 'type');
    assert.equal(oneOf(undefined, NOTIFY_ON), 'failures');
    assert.equal(oneOf(['all'], NOTIFY_ON), 'failures');
  });
});
