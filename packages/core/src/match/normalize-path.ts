/**
 * Request path normalisation (decision 4). What is matched is what the backend receives, so a
 * request cannot reach a route by spelling its path differently (`/a/%2e%2e/admin`, `//admin`).
 *
 * Pinned by `test/match/normalize-path.test.ts` (one test per rule, plus idempotence as a property).
 */

export type NormalizedTarget =
  | {
      readonly ok: true;
      /** The normalised path, without query. */
      readonly path: string;
      /** The raw query after `?` (may be ''), or undefined when the target had no `?`. */
      readonly query: string | undefined;
    }
  | { readonly ok: false; readonly reason: string };

export type NormalizedPath =
  { readonly ok: true; readonly path: string } | { readonly ok: false; readonly reason: string };

const SLASH = 0x2f;
const DOT = 0x2e;
const PERCENT = 0x25;
const ABSOLUTE_FORM = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Normalises a request target: percent-decodes unreserved characters (`A-Z a-z 0-9 - . _ ~`),
 * upper-cases the remaining escapes, merges duplicate slashes and removes dot segments
 * (RFC 3986 5.2.4). `%2F` and `%5C` stay encoded, so they never act as separators. The query is
 * kept as it was; a fragment is dropped. Absolute-form targets lose their scheme and authority.
 * Idempotent: normalising a normalised path changes nothing.
 *
 * @example
 * ```ts
 * normalizeRequestPath('/a//b/./%7Ec/../d?x=%2f'); // { ok: true, path: '/a/b/d?x=%2f' }
 * normalizeRequestPath('/a/%zz');                   // { ok: false, reason: 'malformed percent-encoding' }
 * ```
 */
export function normalizeRequestPath(target: string): NormalizedPath {
  const result = normalizeTarget(target);
  if (!result.ok) return result;
  return {
    ok: true,
    path: result.query === undefined ? result.path : `${result.path}?${result.query}`,
  };
}

/** {@link normalizeRequestPath} with the path and the query kept apart, as `resolve` needs them. */
export function normalizeTarget(target: string): NormalizedTarget {
  let start = 0;
  if (target.charCodeAt(0) !== SLASH) {
    if (!ABSOLUTE_FORM.test(target)) return { ok: false, reason: 'path must start with /' };
    start = target.indexOf('//') + 2;
    while (start < target.length && !isAuthorityEnd(target.charCodeAt(start))) start++;
  }
  // One pass finds the end of the path and whether any rule of decision 4 has work to do.
  let end = start;
  let clean = true;
  for (; end < target.length; end++) {
    const code = target.charCodeAt(end);
    if (code === 0x3f || code === 0x23) break; // ? #
    if (code === PERCENT || code === 0) clean = false;
    else if (code === SLASH) {
      const next = target.charCodeAt(end + 1);
      if (next === SLASH || next === DOT) clean = false;
    }
  }
  let query: string | undefined;
  if (target.charCodeAt(end) === 0x3f) {
    const hash = target.indexOf('#', end + 1);
    query = hash === -1 ? target.slice(end + 1) : target.slice(end + 1, hash);
  }
  // An absolute-form target with an empty path (`http://h?x`) means `/`.
  const rawPath =
    start > 0 && end === start
      ? '/'
      : start === 0 && end === target.length
        ? target
        : target.slice(start, end);
  if (clean) return { ok: true, path: rawPath, query };
  const path = normalizeDirtyPath(rawPath);
  if (path === undefined) return { ok: false, reason: malformedReason(rawPath) };
  return { ok: true, path, query };
}

/**
 * The canonical form of a configured Exact or PathPrefix value, so that `/%7efoo` in a route and
 * `/~foo` on the wire meet. Values the normaliser would reject are returned unchanged.
 */
export function canonicalPathValue(value: string): string {
  if (value.charCodeAt(0) !== SLASH || isClean(value)) return value;
  return normalizeDirtyPath(value) ?? value;
}

function isAuthorityEnd(code: number): boolean {
  return code === SLASH || code === 0x3f || code === 0x23;
}

/** True when no rule of decision 4 would change the path: the common case, and allocation-free. */
function isClean(path: string): boolean {
  for (let i = 0; i < path.length; i++) {
    const code = path.charCodeAt(i);
    if (code === PERCENT || code === 0) return false;
    if (code === SLASH) {
      const next = path.charCodeAt(i + 1);
      if (next === SLASH || next === DOT) return false;
    }
  }
  return true;
}

/** Undefined when the path must be rejected (malformed escape or NUL). */
function normalizeDirtyPath(path: string): string | undefined {
  const decoded = decodeUnreserved(path);
  if (decoded === undefined) return undefined;
  return removeDotSegments(decoded.replace(/\/{2,}/g, '/'));
}

function decodeUnreserved(path: string): string | undefined {
  let out = '';
  let copied = 0;
  for (let i = 0; i < path.length; i++) {
    const code = path.charCodeAt(i);
    if (code === 0) return undefined;
    if (code !== PERCENT) continue;
    const high = hexValue(path.charCodeAt(i + 1));
    const low = hexValue(path.charCodeAt(i + 2));
    if (high < 0 || low < 0) return undefined;
    const byte = high * 16 + low;
    if (byte === 0) return undefined;
    out += path.slice(copied, i);
    out += isUnreserved(byte) ? String.fromCharCode(byte) : path.slice(i, i + 3).toUpperCase();
    copied = i + 3;
    i += 2;
  }
  return out + path.slice(copied);
}

/** RFC 3986 5.2.4 for an absolute path without empty segments (slashes are merged first). */
function removeDotSegments(path: string): string {
  const input = path.split('/');
  const output: string[] = [];
  for (let i = 1; i < input.length; i++) {
    const segment = input[i]!;
    const last = i === input.length - 1;
    if (segment === '.') {
      if (last) output.push('');
    } else if (segment === '..') {
      output.pop();
      if (last) output.push('');
    } else {
      output.push(segment);
    }
  }
  return `/${output.join('/')}`;
}

function malformedReason(path: string): string {
  if (path.includes('\0') || /%00/.test(path)) return 'NUL in path';
  return 'malformed percent-encoding';
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}

function isUnreserved(byte: number): boolean {
  return (
    (byte >= 0x41 && byte <= 0x5a) ||
    (byte >= 0x61 && byte <= 0x7a) ||
    (byte >= 0x30 && byte <= 0x39) ||
    byte === 0x2d ||
    byte === DOT ||
    byte === 0x5f ||
    byte === 0x7e
  );
}
