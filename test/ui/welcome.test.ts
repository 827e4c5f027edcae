import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { repoRoot } from '../host/paths';
import { openWorkbench, screenshotIfFailed, type UiSession } from './session';

interface ViewWelcome {
  view: string;
  when?: string;
  contents: string;
}

/** The welcome content package.json declares for the Schedules view when no server is configured. */
function welcomeWithoutServer(): ViewWelcome {
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const entries: ViewWelcome[] = manifest.contributes.viewsWelcome;
  const entry = entries.find((e) => e.view === 'pyramid.schedules' && (e.when ?? '').startsWith('!pyramid.serverConfigured'));
  assert.ok(entry, 'package.json has no welcome content for pyramid.schedules without a server');
  return entry;
}

describe('Pyramid view, no server configured', function () {
  this.timeout(60_000);
  let session: UiSession | undefined;

  before(async function () {
    this.timeout(120_000);
    session = await openWorkbench();
  });

  afterEach(async function () {
    await screenshotIfFailed(this.currentTest, session?.workbench);
  });

  after(async () => {
    await session?.close();
  });

  it('shows the Schedules view with its welcome content', async () => {
    const workbench = session!.workbench;
    await workbench.openViewContainer('Pyramid');
    const shown = await workbench.welcomeText('Schedules');
    const declared = welcomeWithoutServer().contents;
    const firstLine = declared.split('\n')[0];
    assert.ok(shown.includes(firstLine), `expected "${firstLine}" in the view, found:\n${shown}`);
    for (const [, buttonLabel] of declared.matchAll(/^\[([^\]]+)\]\(command:[^)]+\)$/gm)) {
      assert.ok(shown.includes(buttonLabel), `expected a "${buttonLabel}" button in the view, found:\n${shown}`);
    }
    const screenshot = await workbench.screenshot('welcome');
    assert.strictEqual(fs.readFileSync(screenshot).subarray(1, 4).toString(), 'PNG');
  });

  it('"Pyramid: Show Output" shows the Pyramid output channel', async () => {
    const workbench = session!.workbench;
    await workbench.runCommand('Pyramid: Show Output');
    assert.strictEqual(await workbench.shownOutputChannel(), 'Pyramid');
  });
});
