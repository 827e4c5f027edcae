/**
 * Which command arguments the extension made itself. Commands that change server state act at once
 * only on those (tree nodes, quick pick choices, the runs its own buttons pass); anything else, such
 * as a `command:` link or another extension's JSON, is first confirmed by the user.
 */
const madeHere = new WeakSet<object>();

/** Marks an argument as the extension's own, for a button or menu that passes it to a command. */
export function ownArgument<T extends object>(value: T): T {
  madeHere.add(value);
  return value;
}

export function isOwnArgument(value: unknown): boolean {
  return typeof value === 'object' && value !== null && madeHere.has(value);
}
