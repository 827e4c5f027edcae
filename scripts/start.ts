// `npm start`: the extension in a real VS Code (code-server) against a local Pyramid simulator, for
// trying the product without a Pyramid server. Options: --port N (code-server, default 4780),
// --simulator-port N (default 4777), --schedules N (e.g. 10000), --duration-scale X, --scheduled-runs-every SECONDS
// (default 120, 0 = off: a few schedules start runs on their own, as Pyramid's scheduler does, and Warehouse Sync
// fails every third run, so pinned schedules have something to show).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { killOnExit } from '../test/host/cleanup';
import { installCodeServerQuietly, isCodeServerInstalled, startCodeServer } from '../test/host/codeServer';
import { repoRoot } from '../test/host/paths';
import { demoTimetablePeriodMs } from '../test/simulator/cliArgs';
import { DEMO_USER, PyramidSimulator, SimulatorOptions } from '../test/simulator/server';

interface StartOptions {
  port: number;
  simulatorPort: number;
  schedules?: number;
  durationScale: number;
  /** 0 = no runs start on their own. */
  scheduledRunsEvery: number;
}

const USAGE =
  'Usage: npm start -- [--port 4780] [--simulator-port 4777] [--schedules 10000] [--duration-scale 1] [--scheduled-runs-every 120 (0 = off)]';
const DEFAULT_SCHEDULED_RUNS_EVERY = 120;

function parseArgs(args: string[]): StartOptions {
  const options: StartOptions = { port: 4780, simulatorPort: 4777, durationScale: 1, scheduledRunsEvery: DEFAULT_SCHEDULED_RUNS_EVERY };
  for (let i = 0; i < args.length; i++) {
    const value = Number(args[i + 1]);
    if (args[i] === '--help') {
      console.log(USAGE);
      process.exit(0);
    }
    if (!['--port', '--simulator-port', '--schedules', '--duration-scale', '--scheduled-runs-every'].includes(args[i]) || !(value >= 0)) {
      console.error(`Unknown option or value: ${args[i]} ${args[i + 1] ?? ''}\n${USAGE}`);
      process.exit(2);
    }
    switch (args[i]) {
      case '--port':
        options.port = value;
        break;
      case '--simulator-port':
        options.simulatorPort = value;
        break;
      case '--schedules':
        options.schedules = Math.floor(value);
        break;
      case '--scheduled-runs-every':
        options.scheduledRunsEvery = value;
        break;
      default:
        options.durationScale = value;
    }
    i++;
  }
  return options;
}

/** The extension as the VSIX installs it: the production bundle, manifest, media and docs. */
function packageExtension(): { id: string; dir: string } {
  // Its errors, if any, are what someone who broke the build needs to see.
  execFileSync(process.execPath, [path.join(repoRoot, 'esbuild.js'), '--production'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pyramid-extension-'));
  killOnExit(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const file of ['package.json', 'dist/extension.js', 'media/icon.png', 'media/pyramid.svg', 'README.md', 'CHANGELOG.md', 'LICENSE']) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.copyFileSync(path.join(repoRoot, file), path.join(dir, file));
  }
  return { id: `${manifest.publisher}.${manifest.name}-${manifest.version}`, dir };
}

async function main(): Promise<void> {
  const started = Date.now();
  const options = parseArgs(process.argv.slice(2));
  if (!isCodeServerInstalled()) {
    await installCodeServerQuietly();
  }
  const extension = packageExtension();
  const simulatorOptions: SimulatorOptions = {
    schedules: options.schedules,
    durationScale: options.durationScale,
    timetable:
      options.scheduledRunsEvery > 0
        ? { demoEveryMs: demoTimetablePeriodMs(options.scheduledRunsEvery, options.durationScale) }
        : undefined,
  };
  const simulator = await PyramidSimulator.start({ ...simulatorOptions, port: options.simulatorPort }).catch(() =>
    PyramidSimulator.start(simulatorOptions),
  );
  const server = await startCodeServer({
    port: options.port,
    extensionFolders: [extension],
    // Pinned schedules are checked every 30 s here rather than 5 minutes, so the demo timetable's failures show soon.
    userSettings: { 'pyramid.serverUrl': simulator.url, 'pyramid.pinnedCheckSeconds': 30 },
  });
  // The demo workspace's tasks.json: a chain with Pyramid schedules in it, for Tasks: Run Task.
  fs.mkdirSync(path.join(server.workspaceDir, '.vscode'), { recursive: true });
  fs.copyFileSync(path.join(repoRoot, 'test', 'demo-workspace', '.vscode', 'tasks.json'), path.join(server.workspaceDir, '.vscode', 'tasks.json'));
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`
Pyramid Schedules is running in VS Code against a local Pyramid simulator (ready in ${seconds} s).

  Open       ${server.url}?folder=${encodeURIComponent(server.workspaceDir)}
  Sign in    Pyramid view in the activity bar → Sign In → "Sign in with username and password"
  User       ${DEMO_USER.userName}
  Password   ${DEMO_USER.password}
  Simulator  ${simulator.url} (${options.schedules ?? 'demo'} schedules; runs take ${options.durationScale === 1 ? 'real time' : `×${options.durationScale}`})
  Timetable  ${timetableSummary(simulator)}
  Try        right-click Warehouse Sync → Pin Schedule: its failures show in the Pinned group, the badge and a notification
  Tasks      Tasks: Run Task → "Report on stock" runs Inventory Refresh first, then the report only if the run finished

Press Ctrl+C to stop everything.
`);
  process.on('exit', () => console.log('\nStopped code-server and the simulator.'));
}

/** Which schedules start runs on their own, e.g. "Warehouse Sync every 2 min (fails 1 run in 3), …". */
function timetableSummary(simulator: PyramidSimulator): string {
  const entries = simulator.timetableEntries;
  if (entries.length === 0) {
    return 'off: only the runs you start (--scheduled-runs-every SECONDS turns it on)';
  }
  const period = (ms: number) => (ms % 60_000 === 0 ? `${ms / 60_000} min` : `${Math.round(ms / 1000)} s`);
  const described = entries.map((entry) => {
    const fails = entry.failEvery === undefined ? '' : ` (fails 1 run in ${entry.failEvery})`;
    return `${entry.scheduleName} every ${period(entry.everyMs)}${fails}`;
  });
  return `runs start on their own: ${described.join(', ')}`;
}

main().catch((error: Error) => {
  console.error(`npm start failed: ${error.message}`);
  process.exit(1);
});
