/**
 * Turns a normalised match into a compiled one: its regular expressions compiled once, at
 * compile time, so that matching never parses a pattern.
 */
import type { NormalizedMatch, NormalizedValueMatch } from '../api/normalized.js';
import type { CompiledMatch } from '../table.js';
import { NONE, orNone } from './none.js';
import { compileRegex, type Regex } from './regex.js';

/**
 * Compiles the regexes of a match. `normalize` has already rejected invalid patterns; should one
 * slip through anyway it compiles to a regex that matches nothing, so the route can only lose
 * traffic, never capture someone else's.
 *
 * @example
 * ```ts
 * const match = compileMatch({ path: { type: 'RegularExpression', value: '/v[0-9]+/.*' }, headers: [], queryParams: [] });
 * match.pathRegex?.test('/v2/users'); // true
 * ```
 */
export function compileMatch(match: NormalizedMatch): CompiledMatch {
  // Object literals rather than a spread of `match`: a spread copy gets a hidden class of its
  // own, and freezing it makes yet another, so a table held one per route (memory, and reads
  // that V8 cannot specialise). Literals share one per shape.
  const path = match.path;
  const headers = orNone(match.headers);
  const queryParams = orNone(match.queryParams);
  const headerRegexes = headers.length === 0 ? NONE : headers.map(valueRegex);
  const queryRegexes = queryParams.length === 0 ? NONE : queryParams.map(valueRegex);
  const compiled: { -readonly [K in keyof CompiledMatch]: CompiledMatch[K] } =
    match.method === undefined
      ? { path, headers, queryParams, headerRegexes, queryRegexes }
      : { path, headers, queryParams, method: match.method, headerRegexes, queryRegexes };
  if (path.type === 'RegularExpression') compiled.pathRegex = regexOrNever(path.value);
  return compiled;
}

function valueRegex(match: NormalizedValueMatch): Regex | undefined {
  return match.type === 'RegularExpression' ? regexOrNever(match.value) : undefined;
}

/** The compiled regex, or one that never matches when the pattern is invalid. */
export function regexOrNever(source: string): Regex {
  const result = compileRegex(source);
  return result.ok ? result.regex : { source, test: () => false };
}
