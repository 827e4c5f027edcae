/**
 * The first item of each id. A tree item id may appear only once, or VS Code refuses the whole list:
 * a server that repeats an id must not break the view. How many were dropped goes to `warn`, naming
 * `what` the server repeated.
 */
export function withoutDuplicates<T>(items: readonly T[], idOf: (item: T) => string, what: string, warn: (message: string) => void): T[] {
  const seen = new Set<string>();
  const unique = items.filter((item) => {
    const id = idOf(item);
    if (seen.has(id)) {
      return false;
    }
    seen.add(id);
    return true;
  });
  const dropped = items.length - unique.length;
  if (dropped > 0) {
    warn(`The server listed ${dropped} ${what}(s) twice under the same id; each is shown once.`);
  }
  return unique;
}
