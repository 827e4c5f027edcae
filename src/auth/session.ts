/**
 * Who we are on which server. Tokens live only in SecretStorage, one per server origin, so a token is
 * only ever sent to the origin that issued it: pointing `pyramid.serverUrl` elsewhere means signed out
 * there. Other windows follow through `secrets.onDidChange`.
 */
import * as vscode from 'vscode';
import { PyramidClient, RequestEvent } from '../api';
import * as config from '../config';
import { readCertificates } from './caCertificates';
import { Log } from '../ui/log';

const TOKEN_KEY_PREFIX = 'pyramid.token:';

export function tokenKey(serverUrl: string): string {
  return TOKEN_KEY_PREFIX + new URL(serverUrl).origin;
}

/** Clock offsets smaller than this are taken as none (see serverClockOffsetMs). */
const MIN_CLOCK_OFFSET_MS = 1_500;

export class Session implements vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  private readonly signInEmitter = new vscode.EventEmitter<string>();
  private readonly disposables: vscode.Disposable[] = [this.changeEmitter, this.signInEmitter];
  /** Tokens read from SecretStorage, by key; SecretStorage reads are asynchronous and not free. */
  private readonly tokenCache = new Map<string, string | undefined>();
  /** Counts our own writes per key, so a read that raced with a write of ours is not taken as news. */
  private readonly writes = new Map<string, number>();
  /** The server's clock minus ours, per origin, from the last answer's `Date` header. */
  private readonly clockOffsets = new Map<string, number>();
  /** The PEM texts of pyramid.caCertificates, read once per change of the setting. */
  private caCertificates: Promise<string[]> | undefined;

  /** The server, the sign-in state or a token changed (here or in another window). */
  readonly onDidChange = this.changeEmitter.event;
  /** A new token was stored for this origin (here or in another window). */
  readonly onDidSignIn = this.signInEmitter.event;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly log: Log,
  ) {
    this.disposables.push(
      secrets.onDidChange((event) => {
        if (event.key.startsWith(TOKEN_KEY_PREFIX)) {
          void this.tokenChanged(event.key);
        }
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (config.affects(event, 'caCertificates')) {
          this.caCertificates = undefined;
        }
        if (config.affects(event, 'serverUrl', 'requestTimeoutSeconds', 'caCertificates')) {
          this.changeEmitter.fire();
        }
      }),
    );
  }

  /** The configured server, normalised; undefined when none is set. */
  get serverUrl(): string | undefined {
    return config.serverUrl();
  }

  async isSignedIn(): Promise<boolean> {
    const serverUrl = this.serverUrl;
    return serverUrl !== undefined && (await this.isSignedInTo(serverUrl));
  }

  /** Whether we hold a token for that server (tokens belong to origins). */
  async isSignedInTo(serverUrl: string): Promise<boolean> {
    return (await this.token(serverUrl)) !== undefined;
  }

  /** A client for the configured server with its token, or undefined when signed out. */
  async client(): Promise<PyramidClient | undefined> {
    const serverUrl = this.serverUrl;
    return serverUrl ? this.clientFor(serverUrl) : undefined;
  }

  /** A client for any server we hold a token for (a watched run may belong to a previous server). */
  async clientFor(serverUrl: string): Promise<PyramidClient | undefined> {
    const token = await this.token(serverUrl);
    return token === undefined ? undefined : this.clientWith(serverUrl, token);
  }

  /** A client with the given token (none for signing in), logging like every other. */
  async clientWith(serverUrl: string, token?: string): Promise<PyramidClient> {
    this.caCertificates ??= readCertificates(config.caCertificatePaths()).catch((error: Error) => {
      this.caCertificates = undefined; // Read again next time: the file may be fixed by then.
      throw error;
    });
    const caCertificates = await this.caCertificates;
    return new PyramidClient({
      serverUrl,
      token,
      timeoutMs: config.requestTimeoutMs(),
      caCertificates,
      onRequest: (event) => {
        this.logRequest(event);
        if (event.serverClockOffsetMs !== undefined) {
          this.clockOffsets.set(new URL(serverUrl).origin, event.serverClockOffsetMs);
        }
      },
    });
  }

  /**
   * How far the server's clock is ahead of this machine's (negative: behind), as its last answer's
   * `Date` header said; 0 before any answer. Times the server stamps are compared with local ones through it.
   */
  serverClockOffsetMs(serverUrl: string): number {
    let offset: number;
    try {
      offset = this.clockOffsets.get(new URL(serverUrl).origin) ?? 0;
    } catch {
      return 0;
    }
    // The header has whole seconds: an offset under one and a half says nothing but its rounding.
    return Math.abs(offset) < MIN_CLOCK_OFFSET_MS ? 0 : offset;
  }

  async storeToken(serverUrl: string, token: string): Promise<void> {
    const key = tokenKey(serverUrl);
    this.written(key, token);
    await this.secrets.store(key, token);
    this.changeEmitter.fire();
    this.signInEmitter.fire(new URL(serverUrl).origin);
  }

  /** Forgets the token of that server (the configured one by default). */
  async signOut(serverUrl = this.serverUrl): Promise<void> {
    if (!serverUrl) {
      return;
    }
    const key = tokenKey(serverUrl);
    this.written(key, undefined);
    await this.secrets.delete(key);
    this.changeEmitter.fire();
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }

  /** Another window (or our own store, echoed back) changed a token: a new value is a sign-in there. */
  private async tokenChanged(key: string): Promise<void> {
    const writes = this.writes.get(key) ?? 0;
    const current = (await this.secrets.get(key)) || undefined;
    if ((this.writes.get(key) ?? 0) !== writes || current === this.tokenCache.get(key)) {
      return; // We wrote since (our value is newer), or nothing changed: it was our own write echoed.
    }
    this.tokenCache.set(key, current);
    this.changeEmitter.fire();
    if (current) {
      this.signInEmitter.fire(key.slice(TOKEN_KEY_PREFIX.length));
    }
  }

  private written(key: string, token: string | undefined): void {
    this.tokenCache.set(key, token);
    this.writes.set(key, (this.writes.get(key) ?? 0) + 1);
  }

  private async token(serverUrl: string): Promise<string | undefined> {
    const key = tokenKey(serverUrl);
    if (!this.tokenCache.has(key)) {
      const stored = (await this.secrets.get(key)) || undefined;
      if (!this.tokenCache.has(key)) {
        this.tokenCache.set(key, stored); // unless a write of ours landed meanwhile: it is newer
      }
    }
    return this.tokenCache.get(key);
  }


  private logRequest(event: RequestEvent): void {
    const retry = event.attempt > 1 ? ` (attempt ${event.attempt})` : '';
    if (event.error) {
      this.log.debug(`POST ${event.method}${retry} failed after ${event.durationMs} ms: ${event.error}`);
    } else {
      this.log.trace(`POST ${event.method}${retry} → ${event.status} in ${event.durationMs} ms`);
    }
  }
}
