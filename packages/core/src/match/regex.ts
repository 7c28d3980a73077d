/**
 * Tenant regular expressions (decision 3): RE2 syntax and semantics through re2js, a pure
 * JavaScript port of RE2 whose automata run in time linear in the input, so no pattern can stall
 * the event loop. Path regexes match the whole path (anchored); header and query regexes too.
 */
import { RE2JS } from 're2js';

export interface Regex {
  readonly source: string;
  /** True when the whole input matches. */
  test(input: string): boolean;
}

export type RegexResult =
  { readonly ok: true; readonly regex: Regex } | { readonly ok: false; readonly message: string };

/**
 * Rule 26: the largest compiled program (RE2's instruction count, `programSize()`) a tenant's
 * regex may have. The first match of a fresh regex builds DFA states at a cost that grows faster
 * than the program: against an 8 KiB path the worst admitted shape took 3 ms at 300 and 88 ms at
 * 1000 on a loaded machine (benchmarks/RESULTS.md, worst regex). Envoy's default is 100.
 */
export const MAX_REGEX_PROGRAM_SIZE = 300;

const cache = new Map<string, RegexResult>();
const CACHE_LIMIT = 10_000;

/** Compiles an RE2 pattern; never throws. Results are cached by source. */
export function compileRegex(source: string): RegexResult {
  const cached = cache.get(source);
  if (cached) return cached;
  let result: RegexResult;
  try {
    result = tooLarge(repetitionWeight(source));
    if (result.ok) {
      const pattern = RE2JS.compile(source);
      result = tooLarge(pattern.programSize(), {
        source,
        test: (input) => pattern.matches(input),
      });
    }
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    result = { ok: false, message: `not a valid RE2 regular expression: ${detail}` };
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(source, result);
  return result;
}

function tooLarge(size: number, regex?: Regex): RegexResult {
  if (size > MAX_REGEX_PROGRAM_SIZE) {
    return {
      ok: false,
      message: `regular expression too large: program size ${size} exceeds the limit of ${MAX_REGEX_PROGRAM_SIZE} (rule 26: matching cost grows with it); use * or + instead of large counted repetitions {n,m}`,
    };
  }
  return regex ? { ok: true, regex } : { ok: true, regex: { source: '', test: () => false } };
}

/**
 * A lower bound of the program size that needs no compiling: the sum of the counts of the
 * counted repetitions `{n}`, `{n,}`, `{n,m}`. Compiling `[^/]{0,1000}` sixty times takes most of
 * a second, so patterns far over the cap are refused before RE2 builds them.
 */
function repetitionWeight(source: string): number {
  let weight = 0;
  for (const [, low, high] of source.matchAll(/\{(\d+)(?:,(\d*))?\}/g))
    weight += Math.max(Number(low), Number(high || 0));
  return weight;
}

const META = new Set(['\\', '.', '+', '*', '?', '(', ')', '|', '[', ']', '{', '}', '^', '$']);
const QUANTIFIERS = new Set(['*', '?', '{']);

/**
 * The text before the first metacharacter, a leading `^` skipped (delegation rule 7). This is the
 * textual check the contract defines; it may over-state what the regex is confined to (`/a|/b`
 * gives `/a`), which is why delegated regexes are also guarded at run time (rule 10).
 */
export function regexLiteralPrefix(source: string): string {
  const start = source.startsWith('^') ? 1 : 0;
  let end = start;
  while (end < source.length && !META.has(source[end]!)) end++;
  return source.slice(start, end);
}

/**
 * A prefix every string the regex matches is guaranteed to start with: the literal prefix,
 * shortened by the character a quantifier applies to, and empty when the pattern has an
 * alternation anywhere. Used only to place a regex in the path index, never for validation.
 */
export function regexSafePrefix(source: string): string {
  if (source.includes('|')) return '';
  const literal = regexLiteralPrefix(source);
  const start = source.startsWith('^') ? 1 : 0;
  const next = source[start + literal.length];
  return next !== undefined && QUANTIFIERS.has(next) ? literal.slice(0, -1) : literal;
}
