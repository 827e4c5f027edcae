// Heap measurements: a forced garbage collection gives a clean baseline before a measurement.
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

let collect: (() => void) | undefined;

/** Runs a full garbage collection; needs no --expose-gc flag (the flag is set at run time). */
export function collectGarbage(): void {
  if (!collect) {
    v8.setFlagsFromString('--expose-gc');
    collect = vm.runInNewContext('gc') as () => void;
  }
  collect();
}

export function heapUsed(): number {
  return process.memoryUsage().heapUsed;
}

/** Heap used after a full collection: what is really retained. */
export function retainedHeap(): number {
  collectGarbage();
  return heapUsed();
}
