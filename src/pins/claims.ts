/**
 * Once per machine, not per window: before a window announces or follows a run the server started,
 * it claims the run by creating a file named after it with the exclusive flag, under the extension's
 * global storage. The file system makes that atomic, which global state (no compare-and-set) is not:
 * of two windows checking at once, exactly one wins. A run the user starts is claimed by the window
 * that started it, so no checker announces it again. No `vscode` import.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** Claims older than this are removed (once per session): their runs are long behind every seen mark. */
export const CLAIM_MAX_AGE_MS = 60 * 24 * 3_600_000;

export class Claims {
  private pruned = false;

  /** `dir`: a folder of the extension's global storage, shared by every window on this machine. */
  constructor(
    private readonly dir: string,
    private readonly log: { warn(message: string): void },
    private readonly now: () => number = Date.now,
  ) {}

  /** True for the first caller on this machine, false for every later one (in any window). */
  async claim(origin: string, executionId: string): Promise<boolean> {
    // A hash: server ids are not trusted as file names, and a run belongs to its origin.
    const file = path.join(this.dir, createHash('sha256').update(`${origin}\n${executionId}`).digest('hex'));
    try {
      await fs.mkdir(this.dir, { recursive: true });
      await fs.writeFile(file, '', { flag: 'wx' });
      void this.prune();
      return true;
    } catch (error) {
      // Only the claim file itself existing means claimed: mkdir also says EEXIST when a file stands in for the folder.
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && (error as NodeJS.ErrnoException).path === file) {
        return false;
      }
      // Better told twice than never: an unwritable folder must not swallow a failure.
      this.log.warn(`Could not record that run ${executionId} was announced: ${(error as Error).message}`);
      return true;
    }
  }

  private async prune(): Promise<void> {
    if (this.pruned) {
      return;
    }
    this.pruned = true;
    try {
      for (const name of await fs.readdir(this.dir)) {
        const file = path.join(this.dir, name);
        const stat = await fs.stat(file).catch(() => undefined);
        if (stat?.isFile() && this.now() - stat.mtimeMs > CLAIM_MAX_AGE_MS) {
          await fs.rm(file, { force: true });
        }
      }
    } catch (error) {
      this.log.warn(`Could not remove old run claims: ${(error as Error).message}`);
    }
  }
}
