/**
 * The delegation tree of one Gateway as nodes and edges: Gateway → routes attached to it → their
 * rules → the children each rule delegates to (recursively) → backends. Children a parent
 * evaluated but rejected are kept, marked, with the reason from their status; a cyclic child is
 * drawn once, with a marked edge back. Everything comes from the compile result (statuses say
 * which children were accepted under which parent, the table says what each rule does) and the
 * normalised routes (rules and their matches), in a stable order.
 */
import {
  DELEGATION_GROUP,
  DELEGATION_LABEL,
  GATEWAY_GROUP,
  normalize,
  type Condition,
  type NormalizedBackendRef,
  type NormalizedMatch,
  type NormalizedRoute,
  type NormalizedRule,
  type RouteAction,
} from '@switchyard/core';
import type { CompiledSet } from '@switchyard/files';

export type GraphNodeKind = 'gateway' | 'route' | 'rule' | 'backend' | 'action';

export interface GraphNode {
  readonly id: string;
  readonly kind: GraphNodeKind;
  /** One or more lines. */
  readonly label: readonly string[];
  /** `rejected` (not accepted, dropped, invalid) or `warning` (accepted with problems). */
  readonly mark?: 'rejected' | 'warning';
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly label?: string;
  readonly rejected?: boolean;
}

export interface DelegationGraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

interface ParentEntry {
  readonly parent: {
    readonly kind: string;
    readonly namespace: string;
    readonly name: string;
    readonly sectionName?: string;
  };
  readonly conditions: readonly Condition[];
}

/**
 * Builds the graph of the Gateway the compiled table serves.
 *
 * @example
 * ```ts
 * const graph = buildGraph(compileSet(set));
 * console.log(renderMermaid(graph));
 * ```
 */
export function buildGraph(compiled: CompiledSet): DelegationGraph {
  // The label delegation's every-namespace value, as compile used it (delegation rule 2).
  const allNamespaces = compiled.options.delegationAllNamespaces ?? 'all';
  const { table, statuses } = compiled.result;
  const nodes = new Map<string, GraphNode>();
  const edges: GraphEdge[] = [];
  const ids = new Map<string, string>();
  const gateway = table.gateway;
  if (gateway === undefined) return { nodes: [], edges: [] };

  const routes = new Map(
    normalize(compiled.set.objects.map((o) => o.value)).objects.routes.map((r) => [r.key, r]),
  );
  const entries = new Map<string, ParentEntry[]>();
  for (const status of statuses) {
    entries.set(
      `${status.namespace}/${status.name}`,
      status.parents.map((p) => ({ parent: p.parentRef, conditions: p.conditions })),
    );
  }
  // What each rule does and the matches it ends up with after delegation, from the table: a
  // child that inherits its parent's matcher writes `/quotes` but serves `/insurance/quotes`.
  const actions = new Map<string, RouteAction>();
  const effective = new Map<string, Set<string>>();
  for (const listener of table.listeners) {
    for (const route of listener.routes) {
      const owner = route.chain[route.chain.length - 1];
      if (owner === undefined) continue;
      const key = `${owner.namespace}/${owner.name}#${owner.ruleIndex}`;
      if (!actions.has(key)) actions.set(key, route.action);
      effective.set(key, (effective.get(key) ?? new Set()).add(matchText(route.match)));
    }
  }

  const id = (raw: string): string => {
    const known = ids.get(raw);
    if (known !== undefined) return known;
    const base = raw.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '');
    let candidate = base;
    for (let n = 2; [...ids.values()].includes(candidate); n++) candidate = `${base}_${n}`;
    ids.set(raw, candidate);
    return candidate;
  };
  const addNode = (node: GraphNode): string => {
    if (!nodes.has(node.id)) nodes.set(node.id, node);
    return node.id;
  };

  const gatewayId = addNode({
    id: id(`gateway ${gateway.namespace}/${gateway.name}`),
    kind: 'gateway',
    label: [`Gateway ${gateway.namespace}/${gateway.name}`],
  });

  const expanded = new Set<string>();
  const expand = (route: NormalizedRoute, routeId: string, ancestors: readonly string[]): void => {
    if (expanded.has(route.key)) return;
    expanded.add(route.key);
    const rules: (NormalizedRule | { index: number; dropped: string })[] = [
      ...route.rules,
      ...route.droppedRules.map((d) => ({
        index: d.index,
        dropped: d.problems.map((p) => `${p.path}: ${p.message}`).join('; '),
      })),
    ].sort((a, b) => a.index - b.index);
    for (const rule of rules) {
      const ruleKey = `${route.key}#${rule.index}`;
      if ('dropped' in rule) {
        const ruleId = addNode({
          id: id(`rule ${ruleKey}`),
          kind: 'rule',
          label: [`rule ${rule.index}: dropped`, shorten(rule.dropped)],
          mark: 'rejected',
        });
        edges.push({ from: routeId, to: ruleId, rejected: true });
        continue;
      }
      const ruleId = addNode({
        id: id(`rule ${ruleKey}`),
        kind: 'rule',
        label: [
          `rule ${rule.index}${rule.name === undefined ? '' : ` ${rule.name}`}`,
          ...(effective.get(ruleKey) ?? new Set(rule.matches.map(matchText))),
        ],
      });
      edges.push({ from: routeId, to: ruleId });
      const delegations = rule.backendRefs.filter(isDelegation);
      if (delegations.length > 0) {
        delegate(route, rule, delegations, ruleId, ancestors);
        continue;
      }
      addAction(ruleKey, rule, ruleId);
    }
  };

  const delegate = (
    parent: NormalizedRoute,
    rule: NormalizedRule,
    refs: readonly NormalizedBackendRef[],
    ruleId: string,
    ancestors: readonly string[],
  ): void => {
    // A child on the ancestor path (a cycle) has no status entry under this parent: the route
    // owning the reference reports it. It is drawn as a marked edge back to the ancestor.
    const children = [...routes.values()].filter(
      (child) =>
        refs.some((ref) => selects(ref, child, allNamespaces)) &&
        (ancestors.includes(child.key) || entryUnder(child, parent) !== undefined),
    );
    let live = 0;
    for (const child of children) {
      if (ancestors.includes(child.key)) {
        edges.push({
          from: ruleId,
          to: id(`route ${child.key}`),
          label: 'cycle: ignored',
          rejected: true,
        });
        continue;
      }
      const entry = entryUnder(child, parent)!;
      const accepted = isTrue(entry.conditions, 'Accepted');
      const childId = addNode(routeNode(child, entry.conditions));
      if (!accepted) {
        edges.push({
          from: ruleId,
          to: childId,
          label: `rejected: ${problemText(entry.conditions, 'Accepted')}`,
          rejected: true,
        });
        continue;
      }
      live++;
      edges.push({ from: ruleId, to: childId, label: 'delegates' });
      expand(child, childId, [...ancestors, child.key]);
    }
    if (live === 0) {
      const target = refs.map(refText).join(', ');
      const actionId = addNode({
        id: id(`unresolved ${parent.key}#${rule.index}`),
        kind: 'action',
        label: ['respond 500', `no valid child for ${target}`],
        mark: 'rejected',
      });
      edges.push({ from: ruleId, to: actionId, rejected: true });
    }
  };

  const addAction = (ruleKey: string, rule: NormalizedRule, ruleId: string): void => {
    const action = actions.get(ruleKey);
    if (action === undefined || action.kind === 'forward') {
      const backends =
        action?.kind === 'forward'
          ? action.backends.map((b) => ({ ...b, problem: b.invalid?.reason }))
          : rule.backendRefs.map((b) => ({ ...b, port: b.port ?? 0, problem: undefined }));
      for (const backend of backends) {
        const kind = backend.group === '' && backend.kind === 'Service' ? 'Service' : backend.kind;
        const name = `${kind} ${backend.namespace}/${backend.name}:${backend.port}`;
        const backendId = addNode({
          id: id(`backend ${name}${backend.problem === undefined ? '' : ' invalid'}`),
          kind: 'backend',
          label: backend.problem === undefined ? [name] : [name, `invalid: ${backend.problem}`],
          ...(backend.problem === undefined ? {} : { mark: 'rejected' as const }),
        });
        edges.push({
          from: ruleId,
          to: backendId,
          ...(backend.weight === 1 ? {} : { label: `weight ${backend.weight}` }),
          ...(backend.problem === undefined ? {} : { rejected: true }),
        });
      }
      return;
    }
    const label =
      action.kind === 'redirect'
        ? [`redirect ${action.redirect.statusCode}`]
        : [`respond ${action.status}`, action.reason];
    const actionId = addNode({
      id: id(`action ${ruleKey}`),
      kind: 'action',
      label,
      ...(action.kind === 'respond' && action.status >= 500 ? { mark: 'rejected' as const } : {}),
    });
    edges.push({ from: ruleId, to: actionId });
  };

  const routeNode = (route: NormalizedRoute, conditions: readonly Condition[]): GraphNode => {
    const hosts = route.hostnames.length === 0 ? [] : [`hosts: ${route.hostnames.join(', ')}`];
    const notes: string[] = [];
    let mark: GraphNode['mark'];
    if (!isTrue(conditions, 'Accepted')) mark = 'rejected';
    else if (!isTrue(conditions, 'ResolvedRefs')) {
      mark = 'warning';
      notes.push(`ResolvedRefs: ${problemText(conditions, 'ResolvedRefs')}`);
    } else if (isTrue(conditions, 'PartiallyInvalid')) {
      mark = 'warning';
      notes.push(`PartiallyInvalid: ${problemText(conditions, 'PartiallyInvalid')}`);
    }
    return {
      id: id(`route ${route.key}`),
      kind: 'route',
      label: [`HTTPRoute ${route.key}`, ...hosts, ...notes],
      ...(mark === undefined ? {} : { mark }),
    };
  };

  const attached = [...routes.values()].filter((route) =>
    (entries.get(route.key) ?? []).some(
      (e) =>
        e.parent.kind === 'Gateway' &&
        e.parent.namespace === gateway.namespace &&
        e.parent.name === gateway.name,
    ),
  );
  for (const route of attached) {
    const entry = (entries.get(route.key) ?? []).filter(
      (e) =>
        e.parent.kind === 'Gateway' &&
        e.parent.namespace === gateway.namespace &&
        e.parent.name === gateway.name,
    );
    const acceptedEntry = entry.find((e) => isTrue(e.conditions, 'Accepted')) ?? entry[0]!;
    const routeId = addNode(routeNode(route, acceptedEntry.conditions));
    const section = acceptedEntry.parent.sectionName;
    if (!isTrue(acceptedEntry.conditions, 'Accepted')) {
      edges.push({
        from: gatewayId,
        to: routeId,
        label: `rejected: ${problemText(acceptedEntry.conditions, 'Accepted')}`,
        rejected: true,
      });
      continue;
    }
    edges.push({
      from: gatewayId,
      to: routeId,
      ...(section === undefined ? {} : { label: section }),
    });
    expand(route, routeId, [route.key]);
  }

  return { nodes: [...nodes.values()], edges: dedupe(edges) };

  function entryUnder(child: NormalizedRoute, parent: NormalizedRoute): ParentEntry | undefined {
    return (entries.get(child.key) ?? []).find(
      (e) =>
        e.parent.kind === 'HTTPRoute' &&
        e.parent.namespace === parent.namespace &&
        e.parent.name === parent.name,
    );
  }
}

function isDelegation(ref: NormalizedBackendRef): boolean {
  return (
    (ref.group === GATEWAY_GROUP && ref.kind === 'HTTPRoute') ||
    (ref.group === DELEGATION_GROUP && ref.kind === 'label')
  );
}

function selects(
  ref: NormalizedBackendRef,
  child: NormalizedRoute,
  allNamespaces: string,
): boolean {
  if (ref.kind === 'label') {
    const inNamespace = ref.namespace === allNamespaces || ref.namespace === child.namespace;
    return inNamespace && child.labels[DELEGATION_LABEL] === ref.name;
  }
  return ref.namespace === child.namespace && (ref.name === '*' || ref.name === child.name);
}

function refText(ref: NormalizedBackendRef): string {
  return ref.kind === 'label'
    ? `label ${ref.name} in ${ref.namespace}`
    : `HTTPRoute ${ref.namespace}/${ref.name}`;
}

function isTrue(conditions: readonly Condition[], type: string): boolean {
  return conditions.some((c) => c.type === type && c.status === 'True');
}

function problemText(conditions: readonly Condition[], type: string): string {
  const condition = conditions.find((c) => c.type === type);
  if (condition === undefined) return `no ${type} condition`;
  return `${condition.reason}: ${shorten(condition.message)}`;
}

function matchText(match: NormalizedMatch): string {
  const parts: string[] = [];
  if (match.method !== undefined) parts.push(match.method);
  parts.push(`${match.path.type} ${match.path.value}`);
  for (const h of match.headers)
    parts.push(`header ${h.name}${h.type === 'Exact' ? '=' : '~'}${h.value}`);
  for (const q of match.queryParams)
    parts.push(`query ${q.name}${q.type === 'Exact' ? '=' : '~'}${q.value}`);
  return parts.join(' ');
}

/** Graph labels stay readable: long status messages are cut. */
function shorten(text: string, max = 90): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function dedupe(edges: readonly GraphEdge[]): GraphEdge[] {
  const seen = new Set<string>();
  return edges.filter((edge) => {
    const key = `${edge.from}\u0000${edge.to}\u0000${edge.label ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
