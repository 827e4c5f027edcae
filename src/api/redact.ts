/**
 * Secrets must never reach a message, a log line or an exception. Everything the client builds from
 * server text or system errors goes through `redact`, which knows the secrets of that client.
 */
export const REDACTED = '[redacted]';

/** Replaces every occurrence of each secret (ignoring very short ones, which would mangle text). */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) {
      result = result.split(secret).join(REDACTED);
      // Servers and proxies sometimes echo a value URL-encoded.
      const encoded = encodeURIComponent(secret);
      if (encoded !== secret) {
        result = result.split(encoded).join(REDACTED);
      }
    }
  }
  return result;
}

/** Server text as we show it: whitespace folded, trimmed, at most `limit` characters. */
export function shorten(text: string, limit = 300): string {
  const folded = text.replace(/\s+/g, ' ').trim();
  return folded.length > limit ? `${folded.slice(0, limit - 1)}…` : folded;
}
