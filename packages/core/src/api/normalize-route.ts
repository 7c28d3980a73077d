/**
 * HTTPRoute → {@link NormalizedRoute}: metadata, parentRefs (D-6, C-38, C-39), hostnames,
 * rules (D-2; each rule in `normalize-rule.ts`), and the route-wide rules: 1-16 rules, C-17
 * (at most 128 matches in all) and C-18 (unique rule names). Problems outside any rule go to
 * `specProblems`; a rule with problems goes to `droppedRules`.
 */
import {
  at,
  defined,
  get,
  isRecord,
  readList,
  readRecord,
  readStringMap,
  report,
  type JsonRecord,
  type Problems,
} from './field-path.js';
import { readHostname } from './hostname.js';
import type { DroppedRule, NormalizedRoute, NormalizedRule, ObjectKey } from './normalized.js';
import { normalizeRule } from './normalize-rule.js';
import { normalizeParentRefs } from './validate-object-refs.js';

const MAX_HOSTNAMES = 16;
const MAX_RULES = 16;
const MAX_TOTAL_MATCHES = 128;

/** Milliseconds since the epoch; a missing or unparsable timestamp sorts after every other. */
export function parseTimestamp(value: unknown): number {
  // A YAML 1.1 loader may already have turned an unquoted timestamp into a Date.
  const ms =
    value instanceof Date
      ? value.getTime()
      : typeof value === 'string'
        ? Date.parse(value)
        : Number.NaN;
  return Number.isFinite(ms) ? ms : Number.POSITIVE_INFINITY;
}

/** `metadata.generation`, 1 when absent or not a positive integer (the API server sets it). */
export function readGeneration(metadata: unknown): number {
  const generation = get(metadata, 'generation');
  return typeof generation === 'number' && Number.isSafeInteger(generation) && generation >= 1
    ? generation
    : 1;
}

/** C-17 and C-18 over the authored rules (an omitted `matches` counts as its one default). */
function checkRuleList(rules: readonly unknown[], problems: Problems): void {
  const matchCount = rules.reduce<number>((sum, rule) => {
    const matches = get(rule, 'matches');
    return sum + (Array.isArray(matches) && matches.length > 0 ? matches.length : 1);
  }, 0);
  if (matchCount > MAX_TOTAL_MATCHES) {
    report(
      problems,
      'spec.rules',
      'While 16 rules and 64 matches per rule are allowed, the total number of matches across all rules in a route must be less than 128',
    );
  }
  const names = rules.map((rule) => get(rule, 'name')).filter((name) => typeof name === 'string');
  if (new Set(names).size < names.length) {
    report(problems, 'spec.rules', 'Rule name must be unique within the route');
  }
}

/**
 * Normalises one HTTPRoute whose kind, namespace and name `normalize` has already read.
 *
 * @example
 * normalizeRoute({ spec: { parentRefs: [{ name: 'gw' }] } }, { namespace: 'apps', name: 'web' })
 * // rules: [{ index: 0, matches: [{ path: { type: 'PathPrefix', value: '/' }, ... }], ... }] (D-2)
 */
export function normalizeRoute(raw: JsonRecord, key: ObjectKey): NormalizedRoute {
  const { namespace, name } = key;
  const specProblems: Problems = [];
  const metadata = get(raw, 'metadata');
  const labels = readStringMap(get(metadata, 'labels'), 'metadata.labels', specProblems) ?? {};
  const annotations =
    readStringMap(get(metadata, 'annotations'), 'metadata.annotations', specProblems) ?? {};
  const spec = readRecord(get(raw, 'spec'), 'spec', specProblems) ?? {};
  const parentRefs = normalizeParentRefs(
    get(spec, 'parentRefs'),
    'spec.parentRefs',
    specProblems,
    namespace,
  );
  const hostnameItems = readList(get(spec, 'hostnames'), 'spec.hostnames', specProblems, {
    max: MAX_HOSTNAMES,
  });
  const hostnames = defined(
    (hostnameItems ?? []).map((item, i) => {
      const path = at('spec.hostnames', i);
      if (item === undefined || item === null) report(specProblems, path, 'must be a string');
      return readHostname(item, path, specProblems, true);
    }),
  );
  const rulesValue = get(spec, 'rules');
  // D-2: omitted rules are one rule whose only match is PathPrefix `/`.
  const ruleItems =
    rulesValue === undefined
      ? [{}]
      : (readList(rulesValue, 'spec.rules', specProblems, { min: 1, max: MAX_RULES }) ?? []);
  checkRuleList(ruleItems.filter(isRecord), specProblems);
  const rules: NormalizedRule[] = [];
  const droppedRules: DroppedRule[] = [];
  ruleItems.forEach((item, index) => {
    const result = normalizeRule(item, index, namespace);
    if (result.ok) rules.push(result.rule);
    else droppedRules.push(result.dropped);
  });
  return {
    namespace,
    name,
    key: `${namespace}/${name}`,
    generation: readGeneration(metadata),
    createdAt: parseTimestamp(get(metadata, 'creationTimestamp')),
    labels,
    annotations,
    parentRefs,
    hostnames,
    rules,
    droppedRules,
    specProblems,
  };
}
