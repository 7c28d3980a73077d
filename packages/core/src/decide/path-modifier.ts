/**
 * Path modifiers shared by RequestRedirect and URLRewrite (RR-4, UR-2). ReplacePrefixMatch
 * follows the truth table of gateway-api.md 1.15, pinned row by row in
 * `test/decide/path-modifier.test.ts`; the matched prefix is the FlatRoute's merged prefix
 * (delegation rule 21).
 */
import type { PathModifier } from '../api/normalized.js';
import { canonicalPathValue } from '../match/normalize-path.js';
import { prefixMatches, trimTrailingSlashes } from '../match/prepared.js';

/**
 * Applies a path modifier to a normalised path (no query).
 *
 * @param matchedPrefix the PathPrefix (or Exact) value that matched, for ReplacePrefixMatch
 * @example
 * ```ts
 * applyPathModifier('/foo/bar', { type: 'ReplacePrefixMatch', value: '/xyz' }, '/foo'); // '/xyz/bar'
 * applyPathModifier('/foo', { type: 'ReplacePrefixMatch', value: '' }, '/foo');         // '/'
 * ```
 */
export function applyPathModifier(
  path: string,
  modifier: PathModifier,
  matchedPrefix: string | undefined,
): string {
  if (modifier.type === 'ReplaceFullPath') return absolute(modifier.value);
  if (matchedPrefix === undefined) return path;
  // The request matched element-wise, so the prefix covers whole segments of the path.
  const prefix = trimTrailingSlashes(canonicalPathValue(matchedPrefix));
  if (!prefixMatches(prefix, path)) return path;
  return absolute(trimTrailingSlashes(modifier.value) + path.slice(prefix.length));
}

function absolute(path: string): string {
  if (path === '') return '/';
  return path.charCodeAt(0) === 0x2f ? path : `/${path}`;
}
