// The session over an in-memory SecretStorage: every window of the extension shares the storage, so
// a token another window stores or deletes must change this window's sign-in state too.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { Session, tokenKey } from '../../src/auth/session';
import type { Log } from '../../src/ui/log';
import { InMemorySecretStorage } from './fakes/secretStorage';
import { useSimulator, waitFor } from './helpers';

/** A log that keeps its lines, for a Session built outside the extension. */
function memoryLog(lines: string[] = []): Log {
  const add = (message: string) => void lines.push(message);
  return { trace: add, debug: add, info: add, warn: add, error: add, show: () => undefined };
}

/** Every value an event fires, in order. */
function record<T>(event: vscode.Event<T>, disposables: vscode.Disposable[]): T[] {
  const fired: T[] = [];
  disposables.push(event((value) => fired.push(value)));
  return fired;
}

/** Lets events already on their way (the storage fires a tick later) arrive. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

describe('InMemorySecretStorage', () => {
  it('answers with promises and fires onDidChange with the key on store and on delete of a stored key', async () => {
    const secrets = new InMemorySecretStorage();
    const keys: string[] = [];
    secrets.onDidChange((event) => keys.push(event.key));
    try {
      assert.equal(await secrets.get('a'), undefined);
      await secrets.store('a', 'one');
      assert.equal(await secrets.get('a'), 'one');
      await secrets.delete('a');
      await secrets.delete('a'); // nothing to delete: VS Code fires nothing
      assert.equal(await secrets.get('a'), undefined);
      await settle();
      assert.deepEqual(keys, ['a', 'a']);
    } finally {
      secrets.dispose();
    }
  });
});

describe('session: sign-in state shared with other windows', function () {
  this.timeout(20_000);
  // A simulator as pyramid.serverUrl; the extension's own session stays signed out there.
  const suite = useSimulator({ signIn: false });
  let secrets: InMemorySecretStorage;
  let session: Session;
  let disposables: vscode.Disposable[];
  let signIns: string[];
  let changes: void[];

  beforeEach(async () => {
    secrets = new InMemorySecretStorage();
    session = new Session(secrets, memoryLog());
    disposables = [session, secrets];
    assert.equal(session.serverUrl, suite.sim.url);
    // Signed out, and known to be: the session has read the storage, so only an event can tell it news.
    assert.equal(await session.client(), undefined);
    signIns = record(session.onDidSignIn, disposables);
    changes = record(session.onDidChange, disposables);
  });

  afterEach(() => {
    // The session listens to the configuration as well: disposing it leaves no listener behind.
    vscode.Disposable.from(...disposables).dispose();
  });

  /** Another window signs in to the simulator: it writes the token to the shared storage. */
  async function signInElsewhere(): Promise<string> {
    const token = suite.sim.issueToken();
    await secrets.store(tokenKey(suite.sim.url), token);
    await waitFor('onDidSignIn after the other window signed in', () => signIns.length > 0);
    return token;
  }

  it('follows a sign-in in another window: onDidSignIn for that origin, onDidChange, then a client with its token', async () => {
    const token = await signInElsewhere();
    assert.deepEqual(signIns, [new URL(suite.sim.url).origin]);
    assert.equal(changes.length, 1, 'onDidChange fired once');
    assert.equal(await session.isSignedIn(), true);

    const client = await session.client();
    assert.ok(client, 'a client for the configured server');
    assert.equal(client.origin, new URL(suite.sim.url).origin);
    await client.getMe();
    assert.equal(suite.sim.requests.at(-1)?.token, token, 'the request carries the token the other window stored');
  });

  it('follows a sign-out in another window: onDidChange, then no client', async () => {
    await signInElsewhere();
    await secrets.delete(tokenKey(suite.sim.url));
    await waitFor('onDidChange after the other window signed out', () => changes.length === 2);
    assert.equal(await session.client(), undefined);
    assert.equal(await session.isSignedIn(), false);
    assert.equal(signIns.length, 1, 'a sign-out is no sign-in');
  });

  it('takes its own writes, echoed back by the storage, as no news', async () => {
    await session.storeToken(suite.sim.url, suite.sim.issueToken());
    await settle();
    assert.equal(signIns.length, 1, 'one onDidSignIn for one sign-in');
    assert.equal(changes.length, 1, 'one onDidChange for one sign-in');
    await session.signOut();
    await settle();
    assert.equal(changes.length, 2, 'one onDidChange for one sign-out');
    assert.equal(await session.isSignedIn(), false);
  });
});
