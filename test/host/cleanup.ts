import * as fs from 'fs';

// Servers and browsers started by the tests must not outlive the test process, even when it
// stops on an uncaught error or Ctrl+C: each registers a synchronous kill that runs on exit.
const onExit = new Set<() => void>();

process.on('exit', () => {
  for (const kill of onExit) {
    kill();
  }
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => process.exit(signal === 'SIGINT' ? 130 : 143));
}

/** Registers `kill` to run when the process exits; returns a function that unregisters it. */
export function killOnExit(kill: () => void): () => void {
  onExit.add(kill);
  return () => onExit.delete(kill);
}

/** Deletes a temp folder, ignoring failures (a process that is still dying may hold it). */
export function removeDir(dir: string): void {
  try {
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
  } catch {
    // left in the temp folder
  }
}

/** Sends `signal` to every process in the group led by `pid`; false when the group is gone. */
export function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}
