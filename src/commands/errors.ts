import * as vscode from 'vscode';
import { PyramidNetworkError, PyramidTimeoutError, isSignInNeeded } from '../api';
import { Services } from '../services';
import { showError } from '../ui/messages';

/**
 * Tells the user that an action failed, in one message naming the problem, and logs it. An expired
 * session offers Sign In; anything else offers the output channel.
 */
export async function reportFailure(services: Services, what: string, error: unknown, hint = ''): Promise<void> {
  const message = `${what}: ${(error as Error).message ?? String(error)}${hint}`;
  services.log.error(message);
  if (isSignInNeeded(error)) {
    const choice = await showError(message, 'Sign In');
    if (choice) {
      await vscode.commands.executeCommand('pyramid.signIn');
    }
    return;
  }
  const choice = await showError(message, 'Show Output');
  if (choice) {
    services.log.show(true);
  }
}

/** True when a request that changes something may have reached the server before it failed. */
export function mayHaveReachedServer(error: unknown): boolean {
  return error instanceof PyramidTimeoutError || (error instanceof PyramidNetworkError && error.code !== 'ECONNREFUSED' && error.code !== 'ENOTFOUND');
}
