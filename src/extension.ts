import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Pyramid', { log: true });
  context.subscriptions.push(
    log,
    vscode.commands.registerCommand('pyramid.showOutput', () => log.show()),
  );
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
