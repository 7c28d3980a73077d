/**
 * Hostnames as matching reads them (H-1, H-2): the request host without its port and in lower
 * case; a wildcard `*.example.com` matches one or more labels in front of `example.com`, never
 * `example.com` itself.
 */
import type { ResolveRequest } from '../decision.js';
import { headerValue } from './request-view.js';

/**
 * The host a request is for: `request.host`, else its `Host` header; port stripped (also for
 * bracketed IPv6 literals), lower-cased. Undefined when the request names no host.
 */
export function requestHost(request: ResolveRequest): string | undefined {
  const raw = request.host ?? headerValue(request.headers, 'host');
  if (raw === undefined || raw === '') return undefined;
  return hostWithoutPort(raw);
}

/** `Example.COM:8080` → `example.com`; `[::1]:80` → `[::1]`. */
export function hostWithoutPort(authority: string): string {
  let end = authority.length;
  if (authority.charCodeAt(0) === 0x5b /* [ */) {
    const close = authority.indexOf(']');
    if (close !== -1) end = close + 1;
  } else {
    const colon = authority.indexOf(':');
    if (colon !== -1) end = colon;
  }
  const host = end === authority.length ? authority : authority.slice(0, end);
  return hasUpperCase(host) ? host.toLowerCase() : host;
}

/** True when `pattern` (exact or `*.suffix`, lower-case) matches the lower-case `host`. */
export function hostnameMatches(pattern: string, host: string): boolean {
  if (pattern === '*') return true;
  if (!pattern.startsWith('*.')) return pattern === host;
  const suffix = pattern.slice(1); // `.example.com`
  return host.length > suffix.length && host.endsWith(suffix);
}

/**
 * How specifically a hostname pattern (listener or route) matches a host, higher is more
 * specific: an exact name beats every wildcard, a longer wildcard beats a shorter one, and no
 * hostname at all (`undefined`) ranks last. -1 when it does not match; a request without a host
 * matches only hostname-less patterns.
 */
export function hostnameScore(pattern: string | undefined, host: string | undefined): number {
  if (pattern === undefined || pattern === '*') return 0;
  if (host === undefined || !hostnameMatches(pattern, host)) return -1;
  return pattern.startsWith('*.') ? pattern.length : EXACT_SCORE;
}

/** Above any wildcard length (hostnames are at most 253 characters). */
const EXACT_SCORE = 1_000;

function hasUpperCase(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x41 && code <= 0x5a) return true;
  }
  return false;
}
