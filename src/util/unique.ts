/**
 * The first item of each id, and how many were dropped. A tree item id may appear only once, or VS
 * Code refuses the whole list: a server that repeats an id must not break the view.
 */
export function withoutDuplicates<T>(items: readonly T[], idOf: (item: T) => string): { unique: T[]; dropped: number } {
  const seen = new Set<string>();
  const unique = items.filter((item) => {
    const id = idOf(item);
    if (seen.has(id)) {
      return false;
    }
    seen.add(id);
    return true;
  });
  return { unique, dropped: items.length - unique.length };
}
