// The folder of the test-only extension that invokes Pyramid's run tool (extension.ts), ready for code-server.
import * as fs from 'fs';
import * as path from 'path';
import { repoRoot, workDir } from '../../host/paths';

export const TOOL_INVOKER_ID = 'pyramid-tests.tool-invoker';
export const INVOKE_TITLE = 'Pyramid Tests: Invoke the Run Schedule Tool';

/** Writes the extension's manifest next to its bundle and returns the folder. */
export function toolInvokerFolder(): { id: string; dir: string } {
  const dir = path.join(workDir, 'tool-invoker');
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(path.join(repoRoot, 'out', 'test', 'ui', 'toolInvoker', 'extension.js'), path.join(dir, 'extension.js'));
  const manifest = {
    name: 'tool-invoker',
    publisher: 'pyramid-tests',
    version: '0.0.1',
    engines: { vscode: '^1.100.0' },
    main: './extension.js',
    activationEvents: ['onCommand:pyramidTests.invokeRunTool'],
    contributes: { commands: [{ command: 'pyramidTests.invokeRunTool', title: INVOKE_TITLE }] },
  };
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  return { id: `${TOOL_INVOKER_ID}-0.0.1`, dir };
}
