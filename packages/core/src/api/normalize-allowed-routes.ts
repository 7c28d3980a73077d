/**
 * Listener `allowedRoutes` (D-8) and the label selector it may carry.
 */
import {
  at,
  defined,
  get,
  join,
  readEnum,
  readItem,
  readList,
  readRecord,
  readRequired,
  readString,
  readStringMap,
  report,
  type Problems,
} from './field-path.js';
import { GROUP, KIND, readTyped } from './names.js';
import type { NormalizedListener } from './normalized.js';
import { GATEWAY_GROUP, type LabelSelector, type LabelSelectorRequirement } from './objects.js';

const MAX_ROUTE_KINDS = 8;
const FROM = ['All', 'Same', 'Selector'] as const;
const OPERATORS: readonly LabelSelectorRequirement['operator'][] = [
  'In',
  'NotIn',
  'Exists',
  'DoesNotExist',
];

type AllowedRoutes = NormalizedListener['allowedRoutes'];

/** Kubernetes LabelSelectorRequirement: In/NotIn need values, Exists/DoesNotExist take none. */
function checkRequirementValues(
  operator: LabelSelectorRequirement['operator'] | undefined,
  values: readonly unknown[] | undefined,
  path: string,
  problems: Problems,
): void {
  const count = values?.length ?? 0;
  if ((operator === 'In' || operator === 'NotIn') && count === 0) {
    report(problems, join(path, 'values'), `values must be non-empty when operator is ${operator}`);
  }
  if ((operator === 'Exists' || operator === 'DoesNotExist') && count > 0) {
    report(problems, join(path, 'values'), `values must be empty when operator is ${operator}`);
  }
}

/** A standard Kubernetes label selector (namespace selection in `allowedRoutes`). */
export function normalizeLabelSelector(
  value: unknown,
  path: string,
  problems: Problems,
): LabelSelector | undefined {
  const record = readRecord(value, path, problems);
  if (!record) return undefined;
  const matchLabels = readStringMap(
    get(record, 'matchLabels'),
    join(path, 'matchLabels'),
    problems,
  );
  const expressionsPath = join(path, 'matchExpressions');
  const items = readList(get(record, 'matchExpressions'), expressionsPath, problems);
  const matchExpressions = items?.map((item, i): LabelSelectorRequirement | undefined => {
    const itemPath = at(expressionsPath, i);
    const requirement = readItem(item, itemPath, problems);
    const keyPath = join(itemPath, 'key');
    const operatorPath = join(itemPath, 'operator');
    const key = readRequired(get(requirement, 'key'), keyPath, problems, (v) =>
      readString(v, keyPath, problems),
    );
    const operator = readRequired(get(requirement, 'operator'), operatorPath, problems, (v) =>
      readEnum(v, operatorPath, problems, OPERATORS),
    );
    const valuesPath = join(itemPath, 'values');
    const values = readList(get(requirement, 'values'), valuesPath, problems)?.map((v, j) =>
      readRequired(v, at(valuesPath, j), problems, (text) =>
        readString(text, at(valuesPath, j), problems),
      ),
    );
    checkRequirementValues(operator, values, itemPath, problems);
    if (!requirement || key === undefined || operator === undefined) return undefined;
    return values === undefined ? { key, operator } : { key, operator, values: defined(values) };
  });
  return {
    ...(matchLabels === undefined ? {} : { matchLabels }),
    ...(matchExpressions === undefined ? {} : { matchExpressions: defined(matchExpressions) }),
  };
}

/**
 * A listener's `allowedRoutes` with D-8 defaults: `from` Same, route kinds' group
 * `gateway.networking.k8s.io`, and `kinds` undefined when omitted (the protocol's kinds).
 */
export function normalizeAllowedRoutes(
  value: unknown,
  path: string,
  problems: Problems,
): AllowedRoutes {
  const record = readRecord(value, path, problems);
  const namespacesPath = join(path, 'namespaces');
  const namespaces = readRecord(get(record, 'namespaces'), namespacesPath, problems);
  // D-8: `from` defaults to Same; `kinds` stays undefined (the protocol's kinds) when omitted.
  const from =
    readEnum(get(namespaces, 'from'), join(namespacesPath, 'from'), problems, FROM) ?? 'Same';
  const selector = normalizeLabelSelector(
    get(namespaces, 'selector'),
    join(namespacesPath, 'selector'),
    problems,
  );
  if (from === 'Selector' && selector === undefined) {
    report(
      problems,
      join(namespacesPath, 'selector'),
      'selector must be specified when from is Selector; add matchLabels or matchExpressions',
    );
  }
  const kindsPath = join(path, 'kinds');
  const kindItems = readList(get(record, 'kinds'), kindsPath, problems, { max: MAX_ROUTE_KINDS });
  const kinds = kindItems?.map((item, i) => {
    const itemPath = at(kindsPath, i);
    const entry = readItem(item, itemPath, problems);
    const group =
      readTyped(get(entry, 'group'), join(itemPath, 'group'), problems, GROUP) ?? GATEWAY_GROUP;
    const kindPath = join(itemPath, 'kind');
    const kind = readRequired(get(entry, 'kind'), kindPath, problems, (v) =>
      readTyped(v, kindPath, problems, KIND),
    );
    return entry && kind !== undefined ? { group, kind } : undefined;
  });
  return {
    from,
    ...(selector === undefined ? {} : { selector }),
    ...(kinds === undefined ? {} : { kinds: defined(kinds) }),
  };
}
