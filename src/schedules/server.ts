/**
 * A Pyramid server as a value. Tokens, stores, history and runs all belong to one server, keyed by its
 * origin, so a second server is another value rather than another global setting read everywhere.
 */
export interface PyramidServer {
  /** The normalised base URL: requests go to `<url>/API3/…` (a path prefix is kept). */
  readonly url: string;
  /** What a token belongs to: scheme, host and port. */
  readonly origin: string;
}

export function pyramidServer(url: string): PyramidServer {
  return { url, origin: new URL(url).origin };
}
