import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Schedule, ScheduleStatus, ScheduleType, TaskStatus, parseSchedule, parseTask } from '../../../src/api';
import { selectSchedules } from '../../../src/schedules/scheduleList';
import { repoRoot } from '../../host/paths';
import { OUTPUT_CONTEXT_VALUE, groupSchedules, pinOnlyContextValue, scheduleContextValue, scheduleDescription, taskContextValue } from '../../../src/views/treeModel';

/** A schedule as findSchedule would list it. */
function schedule(name: string, type: ScheduleType | string | number, status: ScheduleStatus | string = ScheduleStatus.Idle, item?: string): Schedule {
  return parseSchedule({ scheduleId: `id-${name}`, name, type, status, scheduleItemName: item });
}

const fixture = [
  schedule('nightly Sales Load', ScheduleType.Etl, ScheduleStatus.Idle, 'Sales Model'),
  schedule('Weekly Executive Report', ScheduleType.Printing, ScheduleStatus.Hold, 'Executive Deck'),
  schedule('Low Stock Alert', ScheduleType.Alert),
  schedule('Data Flow 10', ScheduleType.Etl, ScheduleStatus.DisabledAfterFailures),
  schedule('Data Flow 9', ScheduleType.Etl),
  schedule('Logs cleanup', ScheduleType.LogsClean),
  schedule('Mystery', 77),
];

describe('tree model', () => {
  it('sorts by name, ignoring case and ordering numbers naturally', () => {
    assert.deepEqual(selectSchedules(fixture, undefined).map((s) => s.name), [
      'Data Flow 9', 'Data Flow 10', 'Logs cleanup', 'Low Stock Alert', 'Mystery', 'nightly Sales Load', 'Weekly Executive Report',
    ]);
  });

  it('keeps only the listed types', () => {
    const kept = selectSchedules(fixture, new Set([ScheduleType.Alert, ScheduleType.Printing]));
    assert.deepEqual(kept.map((s) => s.name), ['Low Stock Alert', 'Weekly Executive Report']);
  });

  it('groups by type in a fixed order, hiding empty groups', () => {
    const groups = groupSchedules(selectSchedules(fixture, undefined), 'type');
    assert.deepEqual(groups.map((g) => [g.label, g.schedules.length]), [
      ['Data flows', 3],
      ['Publications', 1],
      ['Alerts', 1],
      ['System', 1],
      ['Other', 1],
    ]);
    assert.deepEqual(groups[0].schedules.map((s) => s.name), ['Data Flow 9', 'Data Flow 10', 'nightly Sales Load']);
  });

  it('groups by status, active first', () => {
    const groups = groupSchedules(selectSchedules(fixture, undefined), 'status');
    assert.deepEqual(groups.map((g) => g.label), ['Active', 'Suspended', 'Disabled after failures']);
  });

  it('puts everything in one group for "none"', () => {
    const groups = groupSchedules(selectSchedules(fixture, undefined), 'none');
    assert.equal(groups.length, 1);
    assert.equal(groups[0].schedules.length, fixture.length);
  });

  it('describes a schedule by content item and state', () => {
    assert.equal(scheduleDescription(fixture[0], undefined), 'Sales Model');
    assert.equal(scheduleDescription(fixture[1], undefined), 'Executive Deck · suspended');
    assert.equal(scheduleDescription(fixture[0], 'Running'), 'Sales Model · running');
    assert.equal(scheduleDescription(fixture[3], undefined), 'disabled after failures');
  });

  it('groups 10,000 schedules', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => schedule(`Flow ${i}`, i % 9));
    const groups = groupSchedules(selectSchedules(many, undefined), 'type');
    assert.equal(groups.reduce((sum, g) => sum + g.schedules.length, 0), 10_000);
    assert.ok(groups.length <= 8);
  });
});

const taskStatuses = [TaskStatus.Running, TaskStatus.Finished, TaskStatus.FinishedWithErrors, TaskStatus.Error, TaskStatus.Canceled];

describe('task context values', () => {
  it('marks a task that ended badly as failed, and a finished publication task as having outputs', () => {
    const value = (status: TaskStatus, outputType?: number) => taskContextValue(parseTask({ id: 't', status, outputType }));
    assert.equal(value(TaskStatus.Error), 'task failed');
    assert.equal(value(TaskStatus.FinishedWithErrors, 0), 'task failed outputs');
    assert.equal(value(TaskStatus.Finished, 0), 'task outputs');
    assert.equal(value(TaskStatus.Finished, 6), 'task', 'NoPrinting publishes nothing');
    assert.equal(value(TaskStatus.Finished), 'task', 'no output type: not a publication');
    assert.equal(value(TaskStatus.Running, 0), 'task');
    assert.equal(value(TaskStatus.Canceled), 'task');
  });
});

describe('package.json menus', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const itemMenus: { command: string; when: string; group?: string }[] = manifest.contributes.menus['view/item/context'];

  /** Every context value a schedule row can have: each state, watched or not, pinned or not; then the pins the list does not show. */
  const emitted = [
    ...[false, true].flatMap((pinned) =>
      [ScheduleStatus.Idle, ScheduleStatus.Hold, ScheduleStatus.Stopped, ScheduleStatus.DisabledAfterFailures, ScheduleStatus.Finished].flatMap((status) =>
        [false, true].map((running) => scheduleContextValue(schedule('x', ScheduleType.Etl, status), running, pinned)),
      ),
    ),
    pinOnlyContextValue(true),
    pinOnlyContextValue(false),
    ...taskStatuses.flatMap((status) => [6, 0, undefined].map((outputType) => taskContextValue(parseTask({ id: 't', status, outputType })))),
    OUTPUT_CONTEXT_VALUE,
  ];

  /** Evaluates the `viewItem =~ /regex/` part of a when clause against a context value. */
  function matches(when: string, contextValue: string): boolean {
    const found = /viewItem =~ \/(.+?)\/(?:\s|$)/.exec(when);
    assert.ok(found, `when clause without a viewItem regex: ${when}`);
    return new RegExp(found[1]).test(contextValue);
  }

  const commandsFor = (contextValue: string, inline: boolean) =>
    itemMenus
      .filter((menu) => (menu.group?.startsWith('inline') ?? false) === inline && matches(menu.when, contextValue))
      .map((menu) => menu.command)
      .sort();

  it('every item menu matches at least one context value the nodes emit', () => {
    for (const menu of itemMenus) {
      assert.ok(emitted.some((value) => matches(menu.when, value)), `${menu.command} (${menu.when}) matches no node`);
    }
  });

  it('offers Run and Suspend inline on an active schedule, Run and Resume on a suspended one', () => {
    assert.deepEqual(emitted.slice(0, 4), ['schedule active', 'schedule active running', 'schedule suspended', 'schedule suspended running']);
    assert.deepEqual(commandsFor('schedule active', true), ['pyramid.pinSchedule', 'pyramid.runSchedule', 'pyramid.suspendSchedule']);
    assert.deepEqual(commandsFor('schedule suspended', true), ['pyramid.pinSchedule', 'pyramid.resumeSchedule', 'pyramid.runSchedule']);
    assert.deepEqual(commandsFor('schedule inactive', true), ['pyramid.pinSchedule', 'pyramid.runSchedule']);
  });

  it('offers Pin on a schedule that is not pinned, Unpin on one that is, and only Unpin on a pin the list does not show', () => {
    assert.equal(scheduleContextValue(schedule('x', ScheduleType.Etl, ScheduleStatus.Idle), true, true), 'schedule active running pinned');
    for (const contextValue of ['schedule active pinned', 'schedule suspended running pinned']) {
      for (const inline of [true, false]) {
        assert.ok(commandsFor(contextValue, inline).includes('pyramid.unpinSchedule'), contextValue);
        assert.ok(!commandsFor(contextValue, inline).includes('pyramid.pinSchedule'), contextValue);
      }
    }
    assert.ok(!commandsFor('schedule active', false).includes('pyramid.unpinSchedule'));
    for (const gone of [true, false]) {
      assert.deepEqual(commandsFor(pinOnlyContextValue(gone), true), ['pyramid.unpinSchedule']);
    }
    assert.deepEqual(commandsFor(pinOnlyContextValue(true), false), ['pyramid.unpinSchedule']);
    assert.deepEqual(commandsFor(pinOnlyContextValue(false), false), ['pyramid.showDetails', 'pyramid.unpinSchedule'], 'a hidden pin still has runs to show');
  });

  it('adds Show Details, Copy ID and Run with triggers to the context menu, and Stop Watching while running', () => {
    assert.deepEqual(commandsFor('schedule active', false), [
      'pyramid.copyScheduleId', 'pyramid.openInPyramid', 'pyramid.pinSchedule', 'pyramid.runSchedule', 'pyramid.runScheduleCheckTriggers', 'pyramid.showDetails', 'pyramid.suspendSchedule',
    ]);
    assert.ok(commandsFor('schedule active running', false).includes('pyramid.stopWatching'));
    assert.ok(!commandsFor('schedule active', false).includes('pyramid.stopWatching'));
  });

  it('offers Re-run Task on failed tasks only, Open Output on outputs, and Open in Pyramid on schedules', () => {
    for (const inline of [true, false]) {
      assert.deepEqual(commandsFor('task failed', inline), ['pyramid.rerunTask']);
      assert.deepEqual(commandsFor('task failed outputs', inline), ['pyramid.rerunTask']);
      assert.deepEqual(commandsFor('task outputs', inline), []);
      assert.deepEqual(commandsFor('task', inline), []);
      assert.deepEqual(commandsFor(OUTPUT_CONTEXT_VALUE, inline), ['pyramid.openOutput']);
    }
    assert.ok(commandsFor('schedule active', false).includes('pyramid.openInPyramid'));
    assert.ok(!commandsFor(pinOnlyContextValue(true), false).includes('pyramid.openInPyramid'));
  });

  it('keeps Open Output off the palette (it needs an output) and offers Re-run Task and Open in Pyramid there when signed in', () => {
    const palette: { command: string; when: string }[] = manifest.contributes.menus.commandPalette;
    const whenOf = (command: string) => palette.find((entry) => entry.command === command)?.when;
    assert.equal(whenOf('pyramid.openOutput'), 'false');
    assert.equal(whenOf('pyramid.rerunTask'), 'pyramid.signedIn');
    assert.equal(whenOf('pyramid.openInPyramid'), 'pyramid.signedIn');
  });

  it('contributes every command with the Pyramid category and a title', () => {
    for (const command of manifest.contributes.commands) {
      assert.equal(command.category, 'Pyramid', command.command);
      assert.ok(command.title, command.command);
    }
  });
});
