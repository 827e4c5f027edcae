// A second extension, for the UI tests only: it asks VS Code to invoke Pyramid's run tool, as a chat would,
// so the real confirmation dialog appears in the window. Its manifest is written by toolInvoker.ts.
import * as vscode from 'vscode';

export const INVOKE_COMMAND = 'pyramidTests.invokeRunTool';

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(INVOKE_COMMAND, async (schedule = 'Nightly Sales Load') => {
      try {
        const result = await vscode.lm.invokeTool('pyramid_runSchedule', { input: { schedule, timeoutSeconds: 120 }, toolInvocationToken: undefined });
        const text = result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join(' ');
        void vscode.window.showInformationMessage(`Tool result: ${text}`);
      } catch (error) {
        void vscode.window.showErrorMessage(`Tool not run: ${(error as Error).name}`);
      }
    }),
  );
}
