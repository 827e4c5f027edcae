/** A pyramid task's exit codes, so the next task of a chain knows whether to start. No `vscode` import. */
import { FinalOutcome } from '../monitor/runs';

export const EXIT_CODE = {
  /** The run finished. */
  finished: 0,
  /** The run ended in error, with errors, canceled, or stopped after evaluating its triggers. */
  endedBadly: 1,
  /** No run was started, or it could not be followed to its end (the user stopping the task included). */
  notFollowed: 2,
} as const;

export function exitCodeOf(outcome: FinalOutcome): number {
  return outcome === 'succeeded' ? EXIT_CODE.finished : EXIT_CODE.endedBadly;
}
