/**
 * Every failure of a Pyramid call is one of these. Their messages are written for the user: one
 * sentence that names the problem. They never contain the token or the password (see redact.ts).
 */
export class PyramidError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The server answered with a non-2xx status. */
export class PyramidHttpError extends PyramidError {
  constructor(
    message: string,
    readonly status: number,
    /** The server's text, trimmed and shortened; empty when it sent none. */
    readonly serverText: string,
  ) {
    super(message);
  }
}

/**
 * The server does not accept our credentials: `unauthenticated` (401, or a 400 about the token or login:
 * signing in again helps) or `forbidden` (403: the user lacks a role; signing in again does not help).
 */
export class PyramidAuthError extends PyramidHttpError {
  constructor(
    message: string,
    status: number,
    serverText: string,
    readonly reason: 'unauthenticated' | 'forbidden',
  ) {
    super(message, status, serverText);
  }
}

/** The server could not be reached or the connection broke (refused, reset, DNS, TLS). */
export class PyramidNetworkError extends PyramidError {
  constructor(
    message: string,
    /** The system error code, e.g. ECONNREFUSED, when there is one. */
    readonly code?: string,
  ) {
    super(message);
  }
}

/** No answer within the request timeout. */
export class PyramidTimeoutError extends PyramidError {}

/** The caller cancelled the request. */
export class PyramidCancelledError extends PyramidError {}

/** A 2xx answer we cannot use: an HTML page, an empty body, invalid JSON or an unexpected shape. */
export class PyramidResponseError extends PyramidError {}

/** A ModifiedItemsResult with `success: false`: the server refused, and said why in `errorMessage`. */
export class PyramidOperationError extends PyramidError {}

/** True for failures that say the session is over and signing in again may help. */
export function isSignInNeeded(error: unknown): boolean {
  return error instanceof PyramidAuthError && error.reason === 'unauthenticated';
}
