// A test layer (unit, in-host, desktop, UI) runs as its own node program so that one layer's
// leftovers (open handles, globals, a crash) cannot affect another. It hands its counts to
// runAll over the IPC channel of child_process.fork.

export interface LayerResult {
  passed: number;
  failed: number;
  /** Set when the layer did not run at all (not counted as a failure). */
  skipped?: string;
}

export interface LayerMessage {
  layerResult: LayerResult;
}

export function summaryLine({ passed, failed }: LayerResult): string {
  return `${passed} passed, ${failed} failed`;
}

/** The in-host suite starts its output with IN_HOST_START and ends it with IN_HOST_PREFIX + summaryLine(...). */
export const IN_HOST_START = 'in-host: running';
export const IN_HOST_PREFIX = 'in-host: ';

/** Reads back the last `<prefix>N passed, M failed` line of `output`, if any. */
export function parseSummary(prefix: string, output: string): LayerResult | undefined {
  const matches = [...output.matchAll(new RegExp(`${prefix}(\\d+) passed, (\\d+) failed`, 'g'))];
  const last = matches.at(-1);
  return last && { passed: Number(last[1]), failed: Number(last[2]) };
}

/** Runs a layer as the whole program: reports its result, then exits (1 if anything failed). */
export function runLayerProgram(name: string, run: () => Promise<LayerResult>): void {
  void run()
    .catch((error: unknown): LayerResult => {
      console.error(`${name}: crashed: ${error instanceof Error ? error.stack : String(error)}`);
      return { passed: 0, failed: 1 };
    })
    .then((result) => {
      const exitCode = result.failed > 0 ? 1 : 0;
      if (process.send) {
        const message: LayerMessage = { layerResult: result };
        process.send(message, () => process.exit(exitCode));
      } else {
        process.exit(exitCode);
      }
    });
}
