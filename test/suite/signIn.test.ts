// Sign-in paths inside a real VS Code: asking for the server, pasting a token, refusing plain http
// to another machine, a wrong password, signing out, and a token that stays with its origin.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { DEMO_USER, PyramidSimulator } from '../simulator/server';
import { pickLabel, signInTo, useSimulator, waitFor } from './helpers';

describe('sign-in', function () {
  this.timeout(30_000);
  // Starts with no server configured; each test signs out after itself.
  const suite = useSimulator({ settings: { serverUrl: '' }, signIn: false });
  const { dialogs } = suite;
  const serverUrlSetting = () => vscode.workspace.getConfiguration('pyramid').get<string>('serverUrl');
  const treeRows = async () => (await suite.api.tree.getChildren()).map((node) => String(node.label));

  afterEach(async () => {
    await vscode.commands.executeCommand('pyramid.signOut');
  });

  it('asks for the server when none is set, and keeps it normalised', async () => {
    await vscode.workspace.getConfiguration('pyramid').update('serverUrl', '', vscode.ConfigurationTarget.Global);
    assert.deepEqual(await treeRows(), [], 'signed out: the welcome view shows');
    dialogs.inputs.push(`${suite.sim.url}/API3/`, DEMO_USER.userName, DEMO_USER.password);
    dialogs.picks.push(pickLabel('username and password'));
    await vscode.commands.executeCommand('pyramid.signIn');
    assert.equal(serverUrlSetting(), suite.sim.url);
    await waitFor('the schedules', async () => (await treeRows()).includes('Data flows'));
  });

  it('signs in with a pasted token after checking it with getMe', async () => {
    await vscode.workspace.getConfiguration('pyramid').update('serverUrl', suite.sim.url, vscode.ConfigurationTarget.Global);
    const token = suite.sim.issueToken();
    suite.sim.clearLog();
    dialogs.picks.push(pickLabel('Paste an API token'));
    dialogs.inputs.push(`  ${token}  `);
    await vscode.commands.executeCommand('pyramid.signIn');
    const getMe = suite.sim.requests.find((r) => r.path === 'access/getMe');
    assert.equal(getMe?.token, token, 'the pasted token, trimmed, is checked');
    await waitFor('the schedules', async () => (await treeRows()).includes('Data flows'));
    const listed = suite.sim.requests.find((r) => r.path === 'tasks/findSchedule');
    assert.equal(listed?.token, token);
  });

  it('refuses a pasted token the server does not accept, and stays signed out', async () => {
    await vscode.workspace.getConfiguration('pyramid').update('serverUrl', suite.sim.url, vscode.ConfigurationTarget.Global);
    dialogs.picks.push(pickLabel('Paste an API token'));
    dialogs.inputs.push('not-a-valid-token');
    await vscode.commands.executeCommand('pyramid.signIn');
    const error = dialogs.messages.find((m) => m.severity === 'error');
    assert.match(error?.text ?? '', /^Sign-in failed: The server rejected the token \(HTTP 401\)/);
    assert.deepEqual(await treeRows(), []);
  });

  it('reports a wrong password without the password, and stays signed out', async () => {
    await vscode.workspace.getConfiguration('pyramid').update('serverUrl', suite.sim.url, vscode.ConfigurationTarget.Global);
    dialogs.picks.push(pickLabel('username and password'));
    dialogs.inputs.push(DEMO_USER.userName, 'wrong-password-123');
    await vscode.commands.executeCommand('pyramid.signIn');
    const error = dialogs.messages.find((m) => m.severity === 'error');
    assert.equal(error?.text, 'Sign-in failed: The server refused the sign-in (HTTP 400): check the user name and password.');
    assert.ok(!JSON.stringify(dialogs.messages).includes('wrong-password-123'));
    assert.deepEqual(await treeRows(), []);
  });

  it('asks before signing in over plain http to another machine, and sends nothing when declined', async () => {
    await vscode.workspace.getConfiguration('pyramid').update('serverUrl', 'http://pyramid.example.invalid', vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('pyramid.signIn');
    const warning = dialogs.messages.find((m) => m.severity === 'warning');
    assert.match(warning?.text ?? '', /pyramid\.example\.invalid is not using HTTPS: your password and token would travel unencrypted/);
    assert.deepEqual(warning?.actions, ['Sign In over HTTP']);
    assert.equal(dialogs.picks.length, 0, 'no sign-in method was asked for');
  });

  it('keeps each token with its server: another origin is signed out, and back is signed in', async () => {
    await signInTo(suite.sim, dialogs);
    await waitFor('the schedules', async () => (await treeRows()).includes('Data flows'));
    const other = await PyramidSimulator.start();
    try {
      await vscode.workspace.getConfiguration('pyramid').update('serverUrl', other.url, vscode.ConfigurationTarget.Global);
      assert.deepEqual(await treeRows(), [], 'signed out on the other server');
      assert.equal(other.count(), 0, 'nothing was sent to the other server');

      await vscode.workspace.getConfiguration('pyramid').update('serverUrl', suite.sim.url, vscode.ConfigurationTarget.Global);
      await waitFor('the first server\'s schedules again', async () => (await treeRows()).includes('Data flows'));
    } finally {
      await other.stop();
    }
  });

  it('signs out: the token is forgotten and the welcome view returns', async () => {
    await signInTo(suite.sim, dialogs);
    await waitFor('the schedules', async () => (await treeRows()).includes('Data flows'));
    await vscode.commands.executeCommand('pyramid.signOut');
    assert.deepEqual(await treeRows(), []);
    suite.sim.clearLog();
    dialogs.picks.push(() => undefined);
    await vscode.commands.executeCommand('pyramid.runSchedule');
    assert.ok(dialogs.messages.some((m) => m.text === 'Sign in to a Pyramid server first.'));
    assert.equal(suite.sim.count(), 0);
  });
});
