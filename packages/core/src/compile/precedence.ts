/**
 * The order of flattened routes on a listener (gateway-api.md 1.11, decisions 2 and 9,
 * delegation rules 18-19): route weight (when enabled), Exact, then RegularExpression, then the
 * longest PathPrefix; then method, header count, query count; then the tie-breaks down the
 * delegation chain. Hostname specificity comes first at lookup time, per host bucket.
 */
import type { Candidate } from './env.js';
import { prefixStem } from './containment.js';

const PATH_CLASS = { Exact: 0, RegularExpression: 1, PathPrefix: 2 } as const;

export function comparePrecedence(a: Candidate, b: Candidate): number {
  return (
    b.weight - a.weight ||
    PATH_CLASS[a.match.path.type] - PATH_CLASS[b.match.path.type] ||
    prefixLength(b) - prefixLength(a) ||
    Number(b.match.method !== undefined) - Number(a.match.method !== undefined) ||
    b.match.headers.length - a.match.headers.length ||
    b.match.queryParams.length - a.match.queryParams.length ||
    compareChains(a, b)
  );
}

function prefixLength(c: Candidate): number {
  return c.match.path.type === 'PathPrefix' ? prefixStem(c.match.path.value).length : 0;
}

/** Route identities top-level first (creation time, then namespace/name), then rule and match order. */
function compareChains(a: Candidate, b: Candidate): number {
  const n = Math.min(a.links.length, b.links.length);
  for (let i = 0; i < n; i++) {
    const ra = a.links[i]!.route;
    const rb = b.links[i]!.route;
    if (ra === rb) continue;
    if (ra.createdAt !== rb.createdAt) return ra.createdAt < rb.createdAt ? -1 : 1;
    return ra.key < rb.key ? -1 : ra.key > rb.key ? 1 : 0;
  }
  for (let i = 0; i < n; i++) {
    const diff =
      a.links[i]!.rule.index - b.links[i]!.rule.index ||
      a.links[i]!.matchIndex - b.links[i]!.matchIndex;
    if (diff !== 0) return diff;
  }
  return a.links.length - b.links.length;
}
