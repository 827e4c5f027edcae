import { IN_HOST_START } from '../layer';

// The workbench asks the extension gallery for updates; offline that fails, which changes nothing.
const HARMLESS = [/ENOTFOUND open-vsx\.org/];

/** Everything the window logged: the workbench's own lines are shown only when the suite never
 * got going; the suite's lines are printed as they arrive. */
export class SuiteLog {
  private workbenchLines: string[] = [];
  suiteOutput = '';

  add(line: string): void {
    if (this.suiteOutput === '' && !line.startsWith(IN_HOST_START)) {
      this.workbenchLines.push(line);
      return;
    }
    if (HARMLESS.some((pattern) => pattern.test(line))) {
      return;
    }
    this.suiteOutput += line + '\n';
    console.log(line);
  }

  printWorkbenchOutput(): void {
    console.log(`workbench output before the suite started:\n${this.workbenchLines.join('\n')}`);
  }
}
