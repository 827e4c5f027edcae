import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { killOnExit, removeDir, signalGroup } from './cleanup';
import { codeServerBin, installIncompleteMarker, installLog, installScript, repoRoot } from './paths';
import { sleep, withTimeout } from './timing';

export interface CodeServer {
  /** Base URL of the workbench, e.g. http://127.0.0.1:41234/ */
  url: string;
  port: number;
  userDataDir: string;
  /** An empty folder to open as the workspace. */
  workspaceDir: string;
  /** Everything code-server printed so far, for failure messages. */
  output(): string;
  /** Stops code-server and every process it started, then deletes its temp folders. */
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  /** Merged over the quiet defaults into the user settings.json. */
  userSettings?: Record<string, unknown>;
  /** Extra environment variables; the extension host inherits them. */
  env?: Record<string, string>;
  /** Port to listen on; default 0, a free one. */
  port?: number;
  /** VSIX files to install with --install-extension before the server starts. */
  vsixFiles?: string[];
  /** Extension folders to copy into the extensions folder, as an installed extension would sit there. */
  extensionFolders?: { id: string; dir: string }[];
  /** Keep VS Code's workspace trust on (the tests turn it off unless they test it). */
  workspaceTrust?: boolean;
  /** Written to the workspace folder's .vscode/settings.json. */
  workspaceSettings?: Record<string, unknown>;
}

const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'git.enabled': false,
  'chat.commandCenter.enabled': false,
};

const READY_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;

/** Installed, and not by an install that was stopped halfway (see install.sh). */
export function isCodeServerInstalled(): boolean {
  return fs.existsSync(codeServerBin) && !fs.existsSync(installIncompleteMarker);
}

const INSTALL_LABEL = 'Installing code-server, the VS Code this runs in (once, about 80 s)…';
/** A terminal gets the elapsed time rewritten in place; a log file a line now and then. */
const PROGRESS_TTY_MS = 1_000;
const PROGRESS_LOG_MS = 15_000;
const INSTALL_TAIL_LINES = 40;

/**
 * Runs install.sh with its output (hundreds of lines of native builds) going to `installLog`, and
 * shows one progress line with the elapsed time instead. On failure prints the log's path and its
 * last lines, then throws.
 */
export async function installCodeServerQuietly(): Promise<void> {
  fs.mkdirSync(path.dirname(installLog), { recursive: true });
  const log = fs.openSync(installLog, 'w');
  const started = Date.now();
  const seconds = () => `${Math.round((Date.now() - started) / 1000)} s`;
  // detached: npm and its builds form their own process group, which the exit handler ends on Ctrl+C.
  const child = spawn('bash', [installScript], { stdio: ['ignore', log, log], detached: true });
  fs.closeSync(log);
  const pid = child.pid;
  const forgetKill = pid === undefined ? () => false : killOnExit(() => signalGroup(pid, 'SIGTERM'));

  const tty = process.stdout.isTTY;
  process.stdout.write(tty ? `${INSTALL_LABEL} 0 s` : `${INSTALL_LABEL}\n`);
  const timer = setInterval(
    () => process.stdout.write(tty ? `\r${INSTALL_LABEL} ${seconds()}\x1b[K` : `  still installing code-server: ${seconds()}\n`),
    tty ? PROGRESS_TTY_MS : PROGRESS_LOG_MS,
  );
  const exit = await new Promise<string | number>((resolve) => {
    child.once('error', (error) => resolve(error.message));
    child.once('exit', (code, signal) => resolve(signal ?? code ?? 'unknown'));
  });
  clearInterval(timer);
  forgetKill();
  if (tty) {
    process.stdout.write('\r\x1b[K');
  }
  if (exit === 0) {
    console.log(`code-server installed in ${seconds()}.`);
    return;
  }
  const lines = fs.readFileSync(installLog, 'utf8').trimEnd().split('\n');
  const where = path.relative(process.cwd(), installLog) || installLog;
  console.error(`Installing code-server failed (${typeof exit === 'number' ? `exit code ${exit}` : exit}) after ${seconds()}. The last lines of ${where}:\n`);
  console.error(lines.slice(-INSTALL_TAIL_LINES).map((line) => `  ${line}`).join('\n') + '\n');
  throw new Error(`${path.relative(repoRoot, installScript)} failed; its whole output is in ${installLog}`);
}

export async function startCodeServer(options: CodeServerOptions = {}): Promise<CodeServer> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pyramid-code-server-'));
  const dir = (name: string) => {
    const full = path.join(root, name);
    fs.mkdirSync(full, { recursive: true });
    return full;
  };
  const userDataDir = dir('user-data');
  const workspaceDir = dir('workspace');
  const settingsDir = dir('user-data/User');
  fs.writeFileSync(
    path.join(settingsDir, 'settings.json'),
    JSON.stringify({ ...QUIET_SETTINGS, ...options.userSettings }, null, 2),
  );
  if (options.workspaceSettings) {
    fs.mkdirSync(path.join(workspaceDir, '.vscode'), { recursive: true });
    fs.writeFileSync(path.join(workspaceDir, '.vscode', 'settings.json'), JSON.stringify(options.workspaceSettings, null, 2));
  }
  const configFile = path.join(root, 'config.yaml');
  fs.writeFileSync(configFile, 'cert: false\n'); // without --config it would write one to XDG_CONFIG_HOME
  const extensionsDir = dir('extensions');
  for (const { id, dir: source } of options.extensionFolders ?? []) {
    fs.cpSync(source, path.join(extensionsDir, id), { recursive: true });
  }

  const common = ['--config', configFile, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  const env = { ...codeServerEnv(dir('xdg-config'), dir('xdg-data'), dir('xdg-cache')), ...options.env };
  for (const vsix of options.vsixFiles ?? []) {
    execFileSync(codeServerBin, [...common, '--install-extension', vsix], { env, stdio: 'pipe' });
  }
  const args = [
    ...common,
    '--bind-addr', `127.0.0.1:${options.port ?? 0}`, // with 0 code-server picks a free port and prints it
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--ignore-last-opened',
  ];
  // detached: code-server leads its own process group, so stop() can end its children too.
  const child = spawn(codeServerBin, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  const pid = child.pid;
  if (pid === undefined) {
    throw new Error(`could not start ${codeServerBin}`);
  }
  const forgetKill = killOnExit(() => {
    signalGroup(pid, 'SIGKILL');
    removeDir(root);
  });

  let output = '';
  const listening = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /HTTP server listening on (http:\/\/\S+?)\/?\s/.exec(output);
      if (match) {
        resolve(match[1] + '/');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code, signal) => reject(new Error(`code-server exited (${signal ?? code}) before listening`)));
  });

  let stopped = false;
  const stop = async () => {
    if (stopped) {
      return;
    }
    stopped = true;
    signalGroup(pid, 'SIGTERM');
    const deadline = Date.now() + STOP_GRACE_MS;
    while (signalGroup(pid, 0) && Date.now() < deadline) {
      await sleep(100);
    }
    signalGroup(pid, 'SIGKILL');
    forgetKill();
    removeDir(root);
  };

  try {
    const url = await withTimeout(listening, READY_TIMEOUT_MS, 'code-server did not start listening within 30 s');
    return { url, port: Number(new URL(url).port), userDataDir, workspaceDir, output: () => output, stop };
  } catch (error) {
    console.error(`code-server output:\n${output}`);
    await stop();
    throw error;
  }
}

/** The caller's environment without VS Code's own variables (a terminal inside VS Code sets some
 * that make code-server hand its arguments to that instance), and with XDG folders of its own. */
function codeServerEnv(configHome: string, dataHome: string, cacheHome: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('VSCODE_') && key !== 'ELECTRON_RUN_AS_NODE') {
      env[key] = value;
    }
  }
  return { ...env, XDG_CONFIG_HOME: configHome, XDG_DATA_HOME: dataHome, XDG_CACHE_HOME: cacheHome };
}

export interface WorkbenchUrlOptions {
  /** Absolute path of an extension to load in development mode. */
  extensionDevelopmentPath?: string;
  /** Absolute path of a module exporting run(): the extension host runs it as the test suite. */
  extensionTestsPath?: string;
  /** Folder to open; defaults to the server's empty workspace. */
  folder?: string;
  /** Log levels per extension, e.g. `{ 'publisher.name': 'trace' }`: what `--log id:level` does on the desktop. */
  extensionLogLevels?: Record<string, string>;
}

/** The workbench URL; code-server takes the development/test options in the URL's `payload`. */
export function workbenchUrl(server: CodeServer, options: WorkbenchUrlOptions = {}): string {
  const remote = (absolutePath: string) => `vscode-remote://127.0.0.1:${server.port}${absolutePath}`;
  const payload: [string, string][] = [];
  if (options.extensionDevelopmentPath) {
    payload.push(['extensionDevelopmentPath', remote(options.extensionDevelopmentPath)]);
  }
  if (options.extensionTestsPath) {
    payload.push(['extensionTestsPath', remote(options.extensionTestsPath)]);
  }
  const logLevels = Object.entries(options.extensionLogLevels ?? {}).map(([id, level]) => `${id}:${level}`);
  if (logLevels.length > 0) {
    payload.push(['logLevel', logLevels.join(',')]);
  }
  const query = new URLSearchParams({ folder: options.folder ?? server.workspaceDir });
  if (payload.length > 0) {
    query.set('payload', JSON.stringify(payload));
  }
  return `${server.url}?${query}`;
}
