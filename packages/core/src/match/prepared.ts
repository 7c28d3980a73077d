/**
 * A compiled match in the shape the matcher evaluates fastest: configured paths in canonical
 * form, regexes resolved, and the reason a request fails it available for `explain`.
 */
import type { PathMatchType } from '../api/objects.js';
import type { CompiledMatch } from '../table.js';
import { regexOrNever } from './compile-match.js';
import { NONE } from './none.js';
import { canonicalPathValue } from './normalize-path.js';
import type { Regex } from './regex.js';
import type { RequestView } from './request-view.js';

export interface PreparedValue {
  /** Header names lower-case; query names as written. */
  readonly name: string;
  /** Set for Exact matches. */
  readonly exact: string | undefined;
  /** Set for RegularExpression matches. */
  readonly regex: Regex | undefined;
}

export interface PreparedMatch {
  readonly pathType: PathMatchType;
  /**
   * Exact: the canonical value. PathPrefix: the canonical value without trailing `/` (`''` for
   * `/`). RegularExpression: the pattern.
   */
  readonly pathValue: string;
  readonly pathRegex: Regex | undefined;
  readonly method: string | undefined;
  readonly headers: readonly PreparedValue[];
  readonly query: readonly PreparedValue[];
}

export function prepareMatch(match: CompiledMatch): PreparedMatch {
  const { type, value } = match.path;
  return {
    pathType: type,
    pathValue:
      type === 'RegularExpression'
        ? value
        : type === 'PathPrefix'
          ? trimTrailingSlashes(canonicalPathValue(value))
          : canonicalPathValue(value),
    pathRegex: type === 'RegularExpression' ? (match.pathRegex ?? regexOrNever(value)) : undefined,
    method: match.method,
    headers:
      match.headers.length === 0
        ? NONE
        : match.headers.map((h, i) => ({
            name: h.name.toLowerCase(),
            exact: h.type === 'Exact' ? h.value : undefined,
            regex:
              h.type === 'RegularExpression'
                ? (match.headerRegexes[i] ?? regexOrNever(h.value))
                : undefined,
          })),
    query:
      match.queryParams.length === 0
        ? NONE
        : match.queryParams.map((q, i) => ({
            name: q.name,
            exact: q.type === 'Exact' ? q.value : undefined,
            regex:
              q.type === 'RegularExpression'
                ? (match.queryRegexes[i] ?? regexOrNever(q.value))
                : undefined,
          })),
  };
}

/**
 * Element-wise prefix match (P-2): `prefix` is canonical without trailing `/`, so `/abc` matches
 * `/abc`, `/abc/` and `/abc/def`, never `/abcd`; `''` (from `/`) matches everything.
 */
export function prefixMatches(prefix: string, path: string): boolean {
  if (prefix === '') return true;
  if (!path.startsWith(prefix)) return false;
  return path.length === prefix.length || path.charCodeAt(prefix.length) === 0x2f;
}

export function pathMatches(match: PreparedMatch, path: string): boolean {
  if (match.pathType === 'PathPrefix') return prefixMatches(match.pathValue, path);
  if (match.pathType === 'Exact') return path === match.pathValue;
  return match.pathRegex!.test(path);
}

/** True when the request satisfies the match; the path test is skipped when the index implies it. */
export function matchesRequest(
  match: PreparedMatch,
  request: RequestView,
  skipPath: boolean,
): boolean {
  if (match.method !== undefined && match.method !== request.method) return false;
  if (!skipPath && !pathMatches(match, request.path)) return false;
  for (const header of match.headers) {
    if (!headerMatches(header, request)) return false;
  }
  for (const param of match.query) {
    if (!valueMatches(param, request.queryParam(param.name))) return false;
  }
  return true;
}

/** Why the request fails the match (`path`, `method`, `header <name>`, `query <name>`), or undefined. */
export function mismatchReason(match: PreparedMatch, request: RequestView): string | undefined {
  if (!pathMatches(match, request.path)) return 'path';
  if (match.method !== undefined && match.method !== request.method) return 'method';
  for (const header of match.headers) {
    if (!headerMatches(header, request)) return `header ${header.name}`;
  }
  for (const param of match.query) {
    if (!valueMatches(param, request.queryParam(param.name))) return `query ${param.name}`;
  }
  return undefined;
}

/**
 * Rule 26: a regex never reads a header value over the table's limit. The limit is met here, by
 * the candidates the request's own path reaches, rather than checked up front for every header
 * any regex reads: a team's regex header match must not refuse other teams' requests.
 */
function headerMatches(match: PreparedValue, request: RequestView): boolean {
  const actual = request.header(match.name);
  if (
    actual !== undefined &&
    match.exact === undefined &&
    actual.length > request.maxRegexValueLength
  ) {
    request.overlongHeader ??= match.name;
    return false;
  }
  return valueMatches(match, actual);
}

function valueMatches(match: PreparedValue, actual: string | undefined): boolean {
  if (actual === undefined) return false;
  return match.exact !== undefined ? actual === match.exact : match.regex!.test(actual);
}

export function trimTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 0 && path.charCodeAt(end - 1) === 0x2f) end--;
  return end === path.length ? path : path.slice(0, end);
}

/** `/a/b` → `['a', 'b']`; `''` → `[]`. For canonical prefixes without trailing `/`. */
export function prefixSegments(prefix: string): string[] {
  return prefix === '' ? [] : prefix.slice(1).split('/');
}
