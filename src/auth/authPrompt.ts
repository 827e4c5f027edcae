/**
 * Says once that a server wants a new sign-in, with a Sign In button. Every part of the extension that
 * meets an expired token reports here, so the user sees one message, not one per failed request.
 */
import * as vscode from 'vscode';
import { Log } from '../ui/log';
import { showWarning } from '../ui/messages';

export class AuthPrompt {
  private readonly reported = new Set<string>();

  constructor(private readonly log: Log) {}

  report(origin: string, reason: string): void {
    if (this.reported.has(origin)) {
      return;
    }
    this.reported.add(origin);
    this.log.warn(`Sign-in needed for ${origin}: ${reason}`);
    void showWarning(`Pyramid (${new URL(origin).host}): ${reason}`, 'Sign In').then((choice) => choice && vscode.commands.executeCommand('pyramid.signIn'));
  }

  /** After a successful sign-in the next expiry is worth saying again. */
  signedIn(origin: string): void {
    this.reported.delete(origin);
  }
}
