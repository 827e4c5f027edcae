/**
 * One POST to `<server>/API3/<section>/<method>`: timeout, cancellation, bounded retries for reads,
 * keep-alive connections, same-origin redirects for reads only, and every failure turned into a
 * PyramidError whose message names the problem without a secret in it.
 */
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import * as tls from 'node:tls';
import fetch, { FetchError, Response } from 'node-fetch';
import {
  PyramidAuthError,
  PyramidCancelledError,
  PyramidError,
  PyramidHttpError,
  PyramidNetworkError,
  PyramidResponseError,
  PyramidTimeoutError,
} from './errors';
import { excerpt, redact, shorten } from './redact';

/** What the caller may learn about each attempt, for its log. Never a body, a token or a password. */
export interface RequestEvent {
  method: string;
  attempt: number;
  durationMs: number;
  status?: number;
  error?: string;
  /**
   * The server's clock minus this machine's, from the answer's HTTP `Date` header (whole seconds, so
   * half a second is added to its reading), when the server sent one.
   */
  serverClockOffsetMs?: number;
}

export interface TransportOptions {
  /** The server's base URL, e.g. `https://pyramid.example.com` (a path prefix is kept). */
  serverUrl: string;
  timeoutMs: number;
  /** Extra attempts for reads after a network error or a 5xx; writes are never retried. */
  retries: number;
  /** First retry delay; each next one doubles. */
  retryDelayMs: number;
  /** Secrets that must never appear in an error (the token, a password being sent). */
  secrets: () => readonly (string | undefined)[];
  /** Extra trusted root certificates (PEM), added to the system's for https servers with a private CA. */
  caCertificates?: readonly string[];
  onRequest?: (event: RequestEvent) => void;
}

export interface CallOptions {
  /** Sent as the `paToken` header; omitted when undefined. */
  token?: string;
  /** JSON-encoded as the body; no body when undefined. */
  body?: unknown;
  /**
   * Whether a network error or 5xx may be retried and a same-origin redirect followed: only for calls
   * that change nothing. A request that must not be repeated is not repeated by a redirect either.
   */
  retry: boolean;
  /** The call carries a credential (a sign-in): the text of a failed answer is never shown or logged. */
  sensitive?: boolean;
  signal?: AbortSignal;
}

export interface Answer {
  status: number;
  contentType: string;
  text: string;
  /** The answer's `Date` header (ms since the epoch), when it had a valid one. */
  serverDate?: number;
}

const MAX_REDIRECTS = 3;
/** Larger answers are refused rather than read into memory (10,000 schedules take about 5 MB). */
export const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

/**
 * Keep-alive pools shared by every client, so polls reuse their connection: one for http, one per set
 * of extra CA certificates for https. Certificate verification is never turned off.
 */
const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 8 });
const httpsAgents = new Map<string, https.Agent>();

function agentFor(url: URL, caCertificates: readonly string[] = []): http.Agent {
  if (url.protocol !== 'https:') {
    return httpAgent;
  }
  const key = createHash('sha256').update(caCertificates.join('\n')).digest('hex');
  let agent = httpsAgents.get(key);
  if (!agent) {
    const ca = caCertificates.length ? [...tls.rootCertificates, ...caCertificates] : undefined;
    agent = new https.Agent({ keepAlive: true, maxSockets: 8, ca });
    httpsAgents.set(key, agent);
  }
  return agent;
}

export class Transport {
  readonly baseUrl: URL;

  constructor(private readonly options: TransportOptions) {
    this.baseUrl = new URL(options.serverUrl.endsWith('/') ? options.serverUrl : `${options.serverUrl}/`);
  }

  /** POSTs to `API3/<method>` and returns a 2xx answer, or throws a PyramidError. */
  async call(method: string, options: CallOptions): Promise<Answer> {
    const attempts = options.retry ? this.options.retries + 1 : 1;
    for (let attempt = 1; ; attempt++) {
      const started = Date.now();
      try {
        const answer = await this.attempt(method, options);
        const received = Date.now();
        const serverClockOffsetMs = answer.serverDate === undefined ? undefined : answer.serverDate + 500 - received;
        this.options.onRequest?.({ method, attempt, durationMs: received - started, status: answer.status, serverClockOffsetMs });
        return answer;
      } catch (error) {
        const failure = this.toPyramidError(error, options.signal);
        this.options.onRequest?.({
          method,
          attempt,
          durationMs: Date.now() - started,
          status: failure instanceof PyramidHttpError ? failure.status : undefined,
          error: failure.message,
        });
        if (attempt >= attempts || !isTransient(failure)) {
          throw failure;
        }
        await delay(this.options.retryDelayMs * 2 ** (attempt - 1), options.signal);
      }
    }
  }

  private async attempt(method: string, options: CallOptions): Promise<Answer> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const headers: Record<string, string> = { Accept: 'application/json, text/plain' };
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    if (options.token !== undefined) {
      headers.paToken = options.token;
    }
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);

    let url = new URL(`API3/${method}`, this.baseUrl);
    for (let hop = 0; ; hop++) {
      const response = await fetch(url.href, {
        method: 'POST',
        headers,
        body,
        signal,
        redirect: 'manual',
        size: MAX_ANSWER_BYTES,
        agent: agentFor(url, this.options.caCertificates),
      });
      const location = response.headers.get('location');
      // A request that must not be repeated is not repeated by a redirect either, to here or elsewhere.
      if (!options.retry && response.status >= 300 && response.status < 400) {
        await response.arrayBuffer().catch(() => undefined);
        throw this.notFollowed(method, response.status, location, url);
      }
      if (isRedirect(response.status) && location) {
        const target = new URL(location, url);
        if (target.origin !== url.origin) {
          await response.arrayBuffer().catch(() => undefined);
          throw new PyramidHttpError(
            `The server redirected to ${target.origin}, another address: the request was not repeated there, so the token stays with ${url.origin}. If the server moved, change pyramid.serverUrl.`,
            response.status,
            '',
          );
        }
        if (hop >= MAX_REDIRECTS) {
          throw new PyramidHttpError(`The server redirected more than ${MAX_REDIRECTS} times.`, response.status, '');
        }
        await response.arrayBuffer().catch(() => undefined);
        url = target;
        continue;
      }
      return this.read(response, options.sensitive ?? false);
    }
  }

  /**
   * Any 3xx to a call that must not be repeated (a run, suspend, resume, sign-in): following it would send
   * the change a second time, or the password and token elsewhere. Names the target's origin only: its
   * path and query are the server's to choose and may carry anything.
   */
  private notFollowed(method: string, status: number, location: string | null, url: URL): PyramidHttpError {
    let target: string | undefined;
    try {
      const origin = location ? new URL(location, url).origin : undefined;
      target = origin && origin !== 'null' ? origin : undefined;
    } catch {
      target = undefined; // not a URL: say nothing about where
    }
    const name = method.slice(method.indexOf('/') + 1);
    const message = `The server answered ${name} with a redirect (HTTP ${status})${target ? ` to ${target}` : ''}: a change is never sent twice or elsewhere, so it was not followed. If the server moved, change pyramid.serverUrl.`;
    return new PyramidHttpError(this.redact(message), status, '');
  }

  private async read(response: Response, sensitive: boolean): Promise<Answer> {
    const text = await response.text();
    const contentType = response.headers.get('content-type') ?? '';
    const status = response.status;
    if (status >= 200 && status < 300) {
      if (looksLikeHtml(contentType, text)) {
        throw new PyramidResponseError(htmlMessage(status));
      }
      const serverDate = Date.parse(response.headers.get('date') ?? '');
      return { status, contentType, text, ...(Number.isFinite(serverDate) && { serverDate }) };
    }
    throw this.httpError(status, contentType, text, sensitive);
  }

  /** With `hidden`, the server's text is not read at all: the message says only the status. */
  private httpError(status: number, contentType: string, body: string, hidden: boolean): PyramidHttpError {
    const html = looksLikeHtml(contentType, body);
    const serverText = html || hidden ? '' : excerpt(body, this.options.secrets());
    const said = serverText ? `: ${serverText}` : '';
    if (status === 401 || (status === 400 && /token|log ?in|sign ?in|authenticat|unauthori[sz]ed|session/i.test(serverText))) {
      return new PyramidAuthError(`The server rejected the token (HTTP ${status})${said}. Sign in again.`, status, serverText, 'unauthenticated');
    }
    if (status === 403) {
      return new PyramidAuthError(`The server refused the request (HTTP 403)${said || ': permission denied'}.`, status, serverText, 'forbidden');
    }
    if (html) {
      return new PyramidHttpError(htmlMessage(status), status, '');
    }
    if (hidden) {
      return new PyramidHttpError(`The server answered HTTP ${status}.`, status, '');
    }
    return new PyramidHttpError(
      serverText ? `The server answered HTTP ${status}${said}` : `The server answered HTTP ${status} without an explanation.`,
      status,
      serverText,
    );
  }

  private toPyramidError(error: unknown, callerSignal: AbortSignal | undefined): PyramidError {
    if (error instanceof PyramidError) {
      return error;
    }
    if (callerSignal?.aborted) {
      return new PyramidCancelledError('The request was cancelled.');
    }
    if (error instanceof FetchError && error.type === 'max-size') {
      return new PyramidResponseError(`The server's answer is larger than ${MAX_ANSWER_BYTES / 1024 / 1024} MB; narrow it down with a filter.`);
    }
    const name = (error as { name?: string } | undefined)?.name;
    if (name === 'AbortError' || name === 'TimeoutError') {
      return new PyramidTimeoutError(
        `The server at ${this.baseUrl.origin} did not answer within ${formatSeconds(this.options.timeoutMs)}.`,
      );
    }
    return this.networkError(error);
  }

  private networkError(error: unknown): PyramidNetworkError {
    const origin = this.baseUrl.origin;
    const code = error instanceof FetchError ? error.code ?? error.errno : (error as { code?: string } | undefined)?.code;
    const detail = this.redact(error instanceof Error ? error.message : String(error));
    switch (code) {
      case 'ECONNREFUSED':
        return new PyramidNetworkError(`Cannot connect to ${origin}: the connection was refused. Check that the server is running and pyramid.serverUrl is right.`, code);
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return new PyramidNetworkError(`Cannot find the host ${this.baseUrl.hostname}. Check pyramid.serverUrl and your network.`, code);
      case 'ECONNRESET':
      case 'EPIPE':
      case 'ERR_STREAM_PREMATURE_CLOSE':
        return new PyramidNetworkError(`The connection to ${origin} was closed before the answer was complete.`, code);
      case 'ETIMEDOUT':
      case 'ENETUNREACH':
      case 'EHOSTUNREACH':
        return new PyramidNetworkError(`Cannot reach ${origin} (${code}). Check your network or proxy.`, code);
    }
    if (code && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|SSL|TLS/i.test(code)) {
      return new PyramidNetworkError(
        `The TLS certificate of ${this.baseUrl.hostname} is not trusted (${code}). If your organisation signs it with its own CA, add that CA's PEM file to pyramid.caCertificates.`,
        code,
      );
    }
    if (/premature close|socket hang up/i.test(detail)) {
      return new PyramidNetworkError(`The connection to ${origin} was closed before the answer was complete.`, code);
    }
    return new PyramidNetworkError(`Cannot reach ${origin}: ${shorten(detail, 200)}`, code);
  }

  private redact(text: string): string {
    return redact(text, this.options.secrets());
  }
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/** Network errors and 5xx may pass; a timeout already waited long, and 4xx will not change. */
function isTransient(error: PyramidError): boolean {
  if (error instanceof PyramidNetworkError) {
    return !(error.code && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ENOTFOUND/i.test(error.code));
  }
  return error instanceof PyramidHttpError && error.status >= 500;
}

function looksLikeHtml(contentType: string, body: string): boolean {
  return /text\/html/i.test(contentType) || /^\s*<(!doctype html|html[\s>]|head[\s>]|body[\s>])/i.test(body);
}

function htmlMessage(status: number): string {
  return `The server answered with an HTML page (HTTP ${status}): check the server URL or proxy.`;
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new PyramidCancelledError('The request was cancelled.'));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new PyramidCancelledError('The request was cancelled.'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
