// Membership in a closed list (the `as const` word lists of domain/) as a type guard: a value read
// from outside (a flag, a query string) takes the list's type only when it is one of its words.
// Imports nothing.

export function isOneOf<T extends string>(
  list: readonly T[],
  value: string | undefined,
): value is T {
  return value !== undefined && (list as readonly string[]).includes(value);
}
