/**
 * Header modifiers (HF-1..HF-7), for request headers on the way to a backend and response
 * headers on the way back. Names compare case-insensitively; values are never case-folded.
 */
import type { HeaderModifier } from '../api/normalized.js';

export type HeaderValues = Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * Applies `set`, then `add`, then `remove` (one action per name is enforced by validation, so the
 * order only matters for tidiness). Pure: returns a new object, the input is not touched.
 *
 * - `set` replaces every spelling of the name with one header in the modifier's spelling;
 * - `add` appends to an existing value (`a,b` for a string, a longer array for an array) or
 *   creates the header: never a leading comma (HF-7);
 * - `remove` deletes every spelling.
 *
 * @example
 * ```ts
 * applyHeaderModifier(
 *   { 'X-Header-Add': 'some-other-value', 'x-header-remove': 'gone' },
 *   { set: [], add: [{ name: 'x-header-add', value: 'add-appends-values' }], remove: ['X-Header-Remove'] },
 * ); // { 'X-Header-Add': 'some-other-value,add-appends-values' }
 * ```
 */
export function applyHeaderModifier(
  headers: HeaderValues,
  modifier: HeaderModifier,
): Record<string, string | string[] | undefined> {
  // Entries rather than an object while editing: a header may be called `__proto__`.
  let entries: [string, string | string[] | undefined][] = Object.keys(headers).map((name) => {
    const value = headers[name];
    return [name, typeof value === 'object' ? [...value] : value];
  });
  for (const { name, value } of modifier.set) {
    entries = withoutName(entries, name);
    entries.push([name, value]);
  }
  for (const { name, value } of modifier.add) {
    const lower = name.toLowerCase();
    const entry = entries.find(
      ([key, existing]) => existing !== undefined && key.toLowerCase() === lower,
    );
    if (entry === undefined) entries.push([name, value]);
    else if (typeof entry[1] === 'string') entry[1] = `${entry[1]},${value}`;
    else entry[1] = [...entry[1]!, value];
  }
  for (const name of modifier.remove) entries = withoutName(entries, name);
  return Object.fromEntries(entries);
}

function withoutName<T>(entries: [string, T][], name: string): [string, T][] {
  const lower = name.toLowerCase();
  return entries.filter(([key]) => key.toLowerCase() !== lower);
}
