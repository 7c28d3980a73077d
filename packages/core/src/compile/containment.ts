/**
 * What a child match may claim under a parent match (delegation rules 6-9), and how an
 * inheriting child's relative match is merged with its parent's (rule 13).
 */
import type {
  NormalizedMatch,
  NormalizedPathMatch,
  NormalizedValueMatch,
} from '../api/normalized.js';
import { canonicalPathValue } from '../match/normalize-path.js';
import { regexLiteralPrefix } from '../match/regex.js';

export type MatchResult =
  | { readonly ok: true; readonly match: NormalizedMatch }
  | { readonly ok: false; readonly reason: string };

/** A PathPrefix value without its trailing `/` (but `/` stays `/`). */
export function prefixStem(value: string): string {
  return value.length > 1 && value.endsWith('/') ? value.slice(0, -1) : value;
}

/** Segment-aware containment (rule 7): `/a` contains `/a` and `/a/...`, not `/ab`. */
export function withinPrefix(prefix: string, value: string): boolean {
  const stem = prefixStem(prefix);
  return stem === '/' || value === stem || value.startsWith(`${stem}/`);
}

export function describeMatch(match: NormalizedMatch): string {
  const parts = [`${match.path.type} ${match.path.value}`];
  if (match.method) parts.push(`method ${match.method}`);
  for (const h of match.headers)
    parts.push(`header ${h.name}${h.type === 'Exact' ? '=' : '~'}${h.value}`);
  for (const q of match.queryParams)
    parts.push(`query ${q.name}${q.type === 'Exact' ? '=' : '~'}${q.value}`);
  return parts.join(', ');
}

/**
 * Rule 24: the path as the matcher sees it. Exact and PathPrefix values take the canonical form
 * of decision 4 (the form request paths are normalised to), so containment, the runtime guard
 * and the order all judge what the value matches, not how it is spelt.
 */
export function canonicalPath(path: NormalizedPathMatch): NormalizedPathMatch {
  if (path.type === 'RegularExpression') return path;
  const value = canonicalPathValue(path.value);
  return value === path.value ? path : { type: path.type, value };
}

/** The match with its path in canonical form (the same object when nothing changes). */
export function canonicalMatch(match: NormalizedMatch): NormalizedMatch {
  const path = canonicalPath(match.path);
  return path === match.path ? match : { ...match, path };
}

/** The prefix a path match claims: its canonical value, or a regex's canonical literal prefix. */
function claimedPrefix(path: NormalizedPathMatch): string {
  return path.type === 'RegularExpression'
    ? canonicalPathValue(regexLiteralPrefix(path.value))
    : canonicalPathValue(path.value);
}

/** Rules 6-9 for a child that writes absolute matches. */
export function containMatch(parent: NormalizedMatch, child: NormalizedMatch): MatchResult {
  if (parent.path.type !== 'PathPrefix') {
    return {
      ok: false,
      reason: `the parent match is ${parent.path.type}, which cannot delegate (only PathPrefix can)`,
    };
  }
  const path = child.path;
  const claimed = claimedPrefix(path);
  if (!withinPrefix(canonicalPathValue(parent.path.value), claimed)) {
    return {
      ok: false,
      reason: `path ${path.type} ${path.value}${describeCanonical(path.value, claimed)} is outside the delegated prefix ${parent.path.value}`,
    };
  }
  const missingHeader = parent.headers.find(
    (p) => !child.headers.some((c) => sameValueMatch(p, c)),
  );
  if (missingHeader) {
    return {
      ok: false,
      reason: `it does not require the parent's header match ${missingHeader.name}: ${missingHeader.value}`,
    };
  }
  const missingQuery = parent.queryParams.find(
    (p) => !child.queryParams.some((c) => sameValueMatch(p, c)),
  );
  if (missingQuery) {
    return {
      ok: false,
      reason: `it does not require the parent's query match ${missingQuery.name}=${missingQuery.value}`,
    };
  }
  if (parent.method && child.method !== parent.method) {
    return { ok: false, reason: `its method must be ${parent.method}, like the parent's` };
  }
  return { ok: true, match: canonicalMatch(child) };
}

function describeCanonical(text: string, canonical: string): string {
  return canonical === text ? '' : ` (canonical form ${canonical})`;
}

/** Rule 13 for a child annotated `inherit-parent-matcher`: its match is relative to the parent's. */
export function inheritMatch(parent: NormalizedMatch, child: NormalizedMatch): MatchResult {
  if (parent.path.type === 'RegularExpression') {
    return { ok: false, reason: 'a child cannot inherit a RegularExpression parent match' };
  }
  const path = canonicalPath(joinPath(parent.path, child.path));
  const parentPrefix = canonicalPathValue(parent.path.value);
  // Rule 24: a relative value such as `%2e%2e/payments` must not climb out of the parent prefix.
  // A regex is confined by the runtime guard instead (rule 10): its literal prefix is escaped text.
  if (path.type !== 'RegularExpression' && !withinPrefix(parentPrefix, path.value)) {
    return {
      ok: false,
      reason: `path ${child.path.type} ${child.path.value} joined to ${parent.path.value} matches as ${path.value}, outside the delegated prefix`,
    };
  }
  return {
    ok: true,
    match: {
      path,
      headers: unionByName(parent.headers, child.headers, (m) => m.name),
      queryParams: unionByName(parent.queryParams, child.queryParams, (m) => m.name),
      ...(parent.method ? { method: parent.method } : child.method ? { method: child.method } : {}),
    },
  };
}

function joinPath(parent: NormalizedPathMatch, child: NormalizedPathMatch): NormalizedPathMatch {
  if (child.type === 'RegularExpression') {
    const source = child.value.startsWith('^') ? child.value.slice(1) : child.value;
    const stem = prefixStem(canonicalPathValue(parent.value));
    const literal = stem === '/' ? '' : stem;
    return { type: 'RegularExpression', value: `${escapeRegex(literal)}${source}` };
  }
  if (child.value === '/') return { type: child.type, value: parent.value };
  const joined = `${parent.value}/${child.value}`.replace(/\/{2,}/g, '/');
  return { type: child.type, value: joined };
}

function unionByName(
  parent: readonly NormalizedValueMatch[],
  child: readonly NormalizedValueMatch[],
  name: (m: NormalizedValueMatch) => string,
): NormalizedValueMatch[] {
  const result = [...parent];
  for (const entry of child) if (!parent.some((p) => name(p) === name(entry))) result.push(entry);
  return result;
}

function sameValueMatch(a: NormalizedValueMatch, b: NormalizedValueMatch): boolean {
  return a.name === b.name && a.type === b.type && a.value === b.value;
}

function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}
