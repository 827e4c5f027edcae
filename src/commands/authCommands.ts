import * as vscode from 'vscode';
import { signIn } from '../auth/signIn';
import { Services } from '../services';
import { statusMessage } from '../ui/messages';
import { reportFailure } from './errors';

export function registerAuthCommands(services: Services): vscode.Disposable[] {
  const { session, log } = services;
  return [
    vscode.commands.registerCommand('pyramid.signIn', async () => {
      try {
        const result = await signIn(session, services.context.globalState);
        if (!result) {
          return;
        }
        const host = new URL(result.serverUrl).host;
        log.info(`Signed in to ${host}${result.userName ? ` as ${result.userName}` : ''}.`);
        statusMessage(`Signed in to ${host}`, 4000, 'check');
      } catch (error) {
        await reportFailure(services, 'Sign-in failed', error);
      }
    }),
    vscode.commands.registerCommand('pyramid.signOut', async () => {
      const serverUrl = session.serverUrl;
      if (!serverUrl) {
        return;
      }
      await session.signOut(serverUrl);
      log.info(`Signed out of ${new URL(serverUrl).host}; its token was deleted from this machine.`);
      statusMessage(`Signed out of ${new URL(serverUrl).host}`, 4000);
    }),
  ];
}
