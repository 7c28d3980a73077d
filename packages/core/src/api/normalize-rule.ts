/**
 * One HTTPRouteRule: matches (D-3), filters, backendRefs, timeouts (C-33) and retry, plus the
 * rule-level CEL rules C-12..C-16. Any problem drops the rule: it is returned as a
 * {@link DroppedRule} with every problem found in it, and the route's other rules survive.
 */
import { parseDuration } from './duration.js';
import {
  at,
  defined,
  get,
  has,
  join,
  quote,
  readInteger,
  readItem,
  readList,
  readRecord,
  readRequired,
  readString,
  report,
  type Problems,
} from './field-path.js';
import { SECTION_NAME, readTyped } from './names.js';
import type {
  DroppedRule,
  NormalizedMatch,
  NormalizedRetry,
  NormalizedRule,
  NormalizedTimeouts,
} from './normalized.js';
import { normalizeBackendRefs } from './validate-backend-refs.js';
import { normalizeFilters } from './validate-filters.js';
import { DEFAULT_MATCH, normalizeMatch } from './validate-match.js';

const MAX_MATCHES = 64;
const DURATION_PATTERN = '^([0-9]{1,5}(h|m|s|ms)){1,4}$';

export type RuleResult =
  | { readonly ok: true; readonly rule: NormalizedRule }
  | { readonly ok: false; readonly dropped: DroppedRule };

/** A Gateway API Duration in milliseconds, reported when it does not parse. */
export function readDuration(value: unknown, path: string, problems: Problems): number | undefined {
  const text = readString(value, path, problems);
  if (text === undefined) return undefined;
  const ms = parseDuration(text);
  if (ms === undefined)
    report(problems, path, `invalid duration ${quote(text)}: must match ${DURATION_PATTERN}`);
  return ms;
}

function normalizeTimeouts(
  value: unknown,
  path: string,
  problems: Problems,
): NormalizedTimeouts | undefined {
  const record = readRecord(value, path, problems);
  if (!record) return undefined;
  const requestMs = readDuration(get(record, 'request'), join(path, 'request'), problems);
  const backendRequestMs = readDuration(
    get(record, 'backendRequest'),
    join(path, 'backendRequest'),
    problems,
  );
  // C-33: `request: 0s` disables the overall timeout, so any backendRequest fits under it.
  if (
    requestMs !== undefined &&
    backendRequestMs !== undefined &&
    requestMs !== 0 &&
    backendRequestMs > requestMs
  ) {
    report(problems, path, 'backendRequest timeout cannot be longer than request timeout');
  }
  if (requestMs === undefined && backendRequestMs === undefined) return undefined;
  return {
    ...(requestMs === undefined ? {} : { requestMs }),
    ...(backendRequestMs === undefined ? {} : { backendRequestMs }),
  };
}

/** A retry stanza; once present, `attempts` defaults to 1 and `backoff` to 0. */
function normalizeRetry(
  value: unknown,
  path: string,
  problems: Problems,
): NormalizedRetry | undefined {
  const record = readRecord(value, path, problems);
  if (!record) return undefined;
  const codesPath = join(path, 'codes');
  const codeItems = readList(get(record, 'codes'), codesPath, problems) ?? [];
  const codes: number[] = [];
  codeItems.forEach((item, i) => {
    const code = readRequired(item, at(codesPath, i), problems, (v) =>
      readInteger(v, at(codesPath, i), problems, { min: 400, max: 599 }),
    );
    if (code === undefined) return;
    if (codes.includes(code))
      report(problems, at(codesPath, i), `duplicate value ${code}: codes is a set`);
    else codes.push(code);
  });
  const attempts =
    readInteger(get(record, 'attempts'), join(path, 'attempts'), problems, { min: 1 }) ?? 1;
  const backoffMs = readDuration(get(record, 'backoff'), join(path, 'backoff'), problems) ?? 0;
  return { codes, attempts, backoffMs };
}

/** True when `filter` is a `type` filter whose path modifier replaces the matched prefix. */
function replacesPrefix(filter: unknown, type: 'RequestRedirect' | 'URLRewrite'): boolean {
  if (get(filter, 'type') !== type) return false;
  const modifier = get(
    get(filter, type === 'RequestRedirect' ? 'requestRedirect' : 'urlRewrite'),
    'path',
  );
  return get(modifier, 'type') === 'ReplacePrefixMatch' && has(modifier, 'replacePrefixMatch');
}

function exactlyOne(value: unknown, predicate: (item: unknown) => boolean): boolean {
  return Array.isArray(value) && value.filter((item) => predicate(item)).length === 1;
}

/** The rule has exactly one match and its path (after D-3 defaults) is a PathPrefix. */
function hasSinglePrefixMatch(rule: unknown): boolean {
  const matches = get(rule, 'matches');
  if (!Array.isArray(matches) || matches.length === 0) return true; // one default `/` prefix
  if (matches.length !== 1) return false;
  return (get(get(matches[0], 'path'), 'type') ?? 'PathPrefix') === 'PathPrefix';
}

/** C-12..C-16, evaluated on the authored rule as the CEL rules are. */
function checkRuleCel(rule: unknown, path: string, problems: Problems): void {
  const filters = get(rule, 'filters');
  const backendRefs = get(rule, 'backendRefs');
  const hasBackends = Array.isArray(backendRefs) && backendRefs.length > 0;
  if (
    hasBackends &&
    Array.isArray(filters) &&
    filters.some((filter) => has(filter, 'requestRedirect'))
  ) {
    report(problems, path, 'RequestRedirect filter must not be used together with backendRefs');
  }
  if (hasSinglePrefixMatch(rule)) return;
  const one = 'exactly one PathPrefix match must be specified';
  const onBackends = (type: 'RequestRedirect' | 'URLRewrite'): boolean =>
    exactlyOne(backendRefs, (ref) =>
      exactlyOne(get(ref, 'filters'), (f) => replacesPrefix(f, type)),
    );
  if (exactlyOne(filters, (f) => replacesPrefix(f, 'RequestRedirect'))) {
    report(
      problems,
      path,
      `When using RequestRedirect filter with path.replacePrefixMatch, ${one}`,
    );
  }
  if (exactlyOne(filters, (f) => replacesPrefix(f, 'URLRewrite'))) {
    report(problems, path, `When using URLRewrite filter with path.replacePrefixMatch, ${one}`);
  }
  if (onBackends('RequestRedirect')) {
    report(
      problems,
      path,
      `Within backendRefs, when using RequestRedirect filter with path.replacePrefixMatch, ${one}`,
    );
  }
  if (onBackends('URLRewrite')) {
    // The capital "When" is upstream's wording (C-16).
    report(
      problems,
      path,
      `Within backendRefs, When using URLRewrite filter with path.replacePrefixMatch, ${one}`,
    );
  }
}

function normalizeMatches(value: unknown, path: string, problems: Problems): NormalizedMatch[] {
  const items = readList(value, path, problems, { max: MAX_MATCHES });
  // D-3: an omitted (or empty) list is one PathPrefix `/` match.
  if (items === undefined || items.length === 0) return [DEFAULT_MATCH];
  return defined(items.map((item, i) => normalizeMatch(item, at(path, i), problems)));
}

/**
 * Normalises `spec.rules[index]` of a route in `namespace`.
 *
 * @example
 * normalizeRule({ backendRefs: [{ name: 'web', port: 80 }] }, 0, 'apps')
 * // { ok: true, rule: { index: 0, matches: [PathPrefix '/'], filters: [], backendRefs: [...] } }
 */
export function normalizeRule(value: unknown, index: number, namespace: string): RuleResult {
  const path = at('spec.rules', index);
  const problems: Problems = [];
  const record = readItem(value, path, problems);
  if (!record) return { ok: false, dropped: { index, problems } };
  const name = readTyped(get(record, 'name'), join(path, 'name'), problems, SECTION_NAME);
  const matches = normalizeMatches(get(record, 'matches'), join(path, 'matches'), problems);
  const filters = normalizeFilters(
    get(record, 'filters'),
    join(path, 'filters'),
    problems,
    namespace,
  );
  const backendRefs = normalizeBackendRefs(
    get(record, 'backendRefs'),
    join(path, 'backendRefs'),
    problems,
    namespace,
  );
  checkRuleCel(record, path, problems);
  const timeouts = normalizeTimeouts(get(record, 'timeouts'), join(path, 'timeouts'), problems);
  const retry = normalizeRetry(get(record, 'retry'), join(path, 'retry'), problems);
  if (problems.length > 0) return { ok: false, dropped: { index, problems } };
  const rule: NormalizedRule = {
    index,
    matches,
    filters,
    backendRefs,
    ...(name === undefined ? {} : { name }),
    ...(timeouts === undefined ? {} : { timeouts }),
    ...(retry === undefined ? {} : { retry }),
  };
  return { ok: true, rule };
}
