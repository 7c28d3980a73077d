/**
 * Query strings as route matching reads them: names case-sensitive (QM-1), the first value of a
 * repeated parameter wins (decision 11, QM-4). Names and values are percent-decoded; `+` stays a
 * plus sign, as Envoy's query matching does (it is a space only in HTML form encoding, which the
 * Gateway API does not assume). A value that does not decode is matched as written.
 */

/**
 * Parses the raw query (without `?`) into a map of first values.
 *
 * @example
 * ```ts
 * parseQuery('animal=whale&animal=dolphin&x=%41'); // Map { 'animal' => 'whale', 'x' => 'A' }
 * ```
 */
export function parseQuery(query: string): Map<string, string> {
  const params = new Map<string, string>();
  let start = 0;
  while (start <= query.length) {
    let end = query.indexOf('&', start);
    if (end === -1) end = query.length;
    if (end > start) {
      const eq = query.indexOf('=', start);
      const hasValue = eq !== -1 && eq < end;
      const name = decode(query.slice(start, hasValue ? eq : end));
      if (!params.has(name)) params.set(name, hasValue ? decode(query.slice(eq + 1, end)) : '');
    }
    start = end + 1;
  }
  return params;
}

function decode(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
