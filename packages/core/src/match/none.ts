/**
 * One frozen empty array for every empty list a table holds. Most matches have no headers, no
 * query params and no guards, and most trie nodes hold no routes: sharing one array instead of
 * a fresh `[]` each removes a large share of a table's objects, which is memory kept per route
 * and work for `deepFreeze` (which stops at frozen objects) on every compile.
 */
export const NONE: readonly never[] = Object.freeze(objectElements());

/**
 * An empty array with V8's "any object" element kind, the kind of every non-empty list in a
 * table; a literal `[]` would have the small-integer kind and make the matcher's loops see two
 * array shapes where there was one.
 */
function objectElements(): never[] {
  const list: unknown[] = [{}];
  list.pop();
  return list as never[];
}

/** `list`, or {@link NONE} when it is empty. */
export function orNone<T>(list: readonly T[]): readonly T[] {
  return list.length === 0 ? NONE : list;
}
