/**
 * The sign-in conversation: server URL (when none is set), then a user name and password exchanged for
 * a token, or a pasted token checked with getMe. The password lives only in this function's locals.
 */
import * as vscode from 'vscode';
import * as config from '../config';
import { confirm, withProgress } from '../ui/messages';
import { Session } from './session';

const LAST_USER_KEY = 'pyramid.lastUserName';

type Method = 'password' | 'token';

export interface SignInResult {
  serverUrl: string;
  userName?: string;
}

/** Runs the whole conversation; undefined when the user cancelled (errors are thrown). */
export async function signIn(session: Session, memento: vscode.Memento): Promise<SignInResult | undefined> {
  const serverUrl = session.serverUrl ?? (await askServerUrl());
  if (!serverUrl || !(await confirmUnencrypted(serverUrl))) {
    return undefined;
  }
  const method = await pickMethod(serverUrl);
  if (!method) {
    return undefined;
  }
  const host = new URL(serverUrl).host;
  if (method === 'password') {
    const userName = await vscode.window.showInputBox({
      title: `Sign in to ${host} (1/2)`,
      prompt: 'Pyramid user name (for Active Directory: user@domain or DOMAIN\\user)',
      value: memento.get<string>(LAST_USER_KEY, ''),
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() ? undefined : 'Enter a user name.'),
    });
    if (!userName) {
      return undefined;
    }
    const password = await vscode.window.showInputBox({
      title: `Sign in to ${host} (2/2)`,
      prompt: `Password of ${userName.trim()}`,
      password: true,
      ignoreFocusOut: true,
    });
    if (password === undefined) {
      return undefined;
    }
    const token = await withProgress(`Signing in to ${host}…`, (signal) =>
      session.clientWith(serverUrl).then((client) => client.authenticateUser(userName.trim(), password, signal)),
    );
    await memento.update(LAST_USER_KEY, userName.trim());
    await session.storeToken(serverUrl, token);
    return { serverUrl, userName: userName.trim() };
  }

  const token = await vscode.window.showInputBox({
    title: `Sign in to ${host} with an API token`,
    prompt: 'Paste the token from Pyramid: your user menu, System Info, Authentication Token (copy icon).',
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() ? undefined : 'Paste a token.'),
  });
  if (!token) {
    return undefined;
  }
  const trimmed = token.trim();
  const me = await withProgress(`Checking the token with ${host}…`, (signal) =>
    session.clientWith(serverUrl, trimmed).then((client) => client.getMe(signal)),
  );
  await session.storeToken(serverUrl, trimmed);
  return { serverUrl, userName: me.userName };
}

async function askServerUrl(): Promise<string | undefined> {
  const entered = await vscode.window.showInputBox({
    title: 'Pyramid server',
    prompt: 'Address of your Pyramid server, as you open it in a browser',
    placeHolder: 'https://pyramid.example.com',
    ignoreFocusOut: true,
    validateInput: (value) => (config.normaliseServerUrl(value) ? undefined : 'Enter an http:// or https:// address.'),
  });
  const serverUrl = config.normaliseServerUrl(entered);
  if (serverUrl) {
    await vscode.workspace.getConfiguration('pyramid').update('serverUrl', serverUrl, vscode.ConfigurationTarget.Global);
  }
  return serverUrl;
}

/** Plain http is fine on this machine; anywhere else the token would cross the network in clear text. */
async function confirmUnencrypted(serverUrl: string): Promise<boolean> {
  const url = new URL(serverUrl);
  if (url.protocol === 'https:' || isLoopback(url.hostname)) {
    return true;
  }
  return confirm(`${url.host} is not using HTTPS: your password and token would travel unencrypted. Sign in anyway?`, 'Sign In over HTTP');
}

export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || hostname === '::1' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

async function pickMethod(serverUrl: string): Promise<Method | undefined> {
  const items: (vscode.QuickPickItem & { method: Method })[] = [
    { label: '$(account) Sign in with username and password', detail: 'The password is sent once to get a token, and never stored.', method: 'password' },
    { label: '$(key) Paste an API token', detail: 'For single sign-on or MFA accounts: copy the token from Pyramid\'s System Info page.', method: 'token' },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: `Sign in to ${new URL(serverUrl).host}`,
    placeHolder: 'How do you want to sign in?',
    ignoreFocusOut: true,
  });
  return picked?.method;
}
