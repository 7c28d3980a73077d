/**
 * Decision 19: headers that carry the connection's framing, hop-by-hop meaning or the gateway's
 * own signals. No header modifier (rule, backendRef or inherited) may set, add or remove them, or
 * a tenant could smuggle a second request, break keep-alive for everyone on the connection, or
 * forge the gateway's error codes. One list, exported, so that adapters guard with the same names
 * at run time.
 */

/** Exact names (lower case). `Proxy-*` and `x-switchyard-*` are prefixes: see {@link PROTECTED_HEADER_PREFIXES}. */
export const PROTECTED_HEADER_NAMES: readonly string[] = Object.freeze([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'content-length',
  // HTTP/2's upgrade settings (RFC 7540 3.2.1): hop-by-hop on an HTTP/1.1 connection.
  'http2-settings',
]);

/** Name prefixes (lower case) no header modifier may touch. */
export const PROTECTED_HEADER_PREFIXES: readonly string[] = Object.freeze([
  'proxy-',
  'x-switchyard-',
]);

/**
 * True when a header modifier must not set, add or remove `name` (any case).
 *
 * @example
 * ```ts
 * isProtectedHeaderName('Transfer-Encoding'); // true
 * isProtectedHeaderName('X-Switchyard-Error'); // true
 * isProtectedHeaderName('x-request-id');       // false
 * ```
 */
export function isProtectedHeaderName(name: string): boolean {
  const lower = name.toLowerCase();
  return (
    PROTECTED_HEADER_NAMES.includes(lower) ||
    PROTECTED_HEADER_PREFIXES.some((prefix) => lower.startsWith(prefix))
  );
}

/** CR, LF and NUL end a header line (or a C string) early: never allowed in a header value. */
const FORBIDDEN_VALUE_CHARACTER = /[\r\n\0]/;

export function hasForbiddenValueCharacter(value: string): boolean {
  return FORBIDDEN_VALUE_CHARACTER.test(value);
}
