/**
 * Turns a normalised match into a compiled one: its regular expressions compiled once, at
 * compile time, so that matching never parses a pattern.
 */
import type { NormalizedMatch, NormalizedValueMatch } from '../api/normalized.js';
import type { CompiledMatch } from '../table.js';
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
  const compiled: CompiledMatch = {
    ...match,
    headerRegexes: match.headers.map(valueRegex),
    queryRegexes: match.queryParams.map(valueRegex),
  };
  if (match.path.type !== 'RegularExpression') return compiled;
  return { ...compiled, pathRegex: regexOrNever(match.path.value) };
}

function valueRegex(match: NormalizedValueMatch): Regex | undefined {
  return match.type === 'RegularExpression' ? regexOrNever(match.value) : undefined;
}

/** The compiled regex, or one that never matches when the pattern is invalid. */
export function regexOrNever(source: string): Regex {
  const result = compileRegex(source);
  return result.ok ? result.regex : { source, test: () => false };
}
