/** Shared state of one `compile` run: the objects, lookups over them, and the status book. */
import type {
  NormalizedMatch,
  NormalizedObjects,
  NormalizedRoute,
  NormalizedRule,
} from '../api/normalized.js';
import {
  DELEGATION_LABEL,
  INHERITED_POLICY_PRIORITY_ANNOTATION,
  ROUTE_WEIGHT_ANNOTATION,
} from '../api/objects.js';
import type { Diagnostic, Finding } from '../status.js';
import type { RouteAction } from '../table.js';
import {
  delegationProblems,
  ruleAction,
  rulePolicy,
  type RefProblem,
  type RuleAction,
  type RulePolicy,
} from './actions.js';
import {
  Budget,
  DEFAULT_MAX_FLATTENED_ROUTES,
  DEFAULT_MAX_ROUTES_PER_DELEGATION,
} from './budget.js';
import type { OwnAddress, ServiceAddress } from './gateway-findings.js';
import { DEFAULT_POLICY_MERGE, POLICY_MERGES, type PolicyMerge } from './inherit.js';
import type { StatusBook } from './status-book.js';

export interface CompileOptions {
  /** The Gateway the table serves; default: the only Gateway, else the first by namespace/name. */
  readonly gateway?: { readonly namespace: string; readonly name: string };
  /** Sort by the `kgateway.dev/route-weight` annotation first (delegation rule 19). Default off. */
  readonly routeWeight?: boolean;
  /** Delegation hops allowed below the route attached to the Gateway (rule 14). Default 16. */
  readonly maxDelegationDepth?: number;
  /**
   * Routes one delegating rule may contribute, nested delegations' work included (rule 25).
   * Over it, the delegation answers 500 in place (rule 16). Default 10,000.
   */
  readonly maxRoutesPerDelegation?: number;
  /** Flattened routes under delegations in one compile, all delegations together. Default 200,000. */
  readonly maxFlattenedRoutes?: number;
  /** Longest request target `resolve` admits; longer answers 414 (rule 26). Default 8192. */
  readonly maxPathLength?: number;
  /**
   * Longest value of a header that a RegularExpression header match reads; longer answers 431
   * before any regex runs (rule 26). Default 8192.
   */
  readonly maxHeaderValueLength?: number;
  /**
   * Known addresses of Services (from EndpointSlices or a backend map), so that a static Backend
   * pointing at another namespace's Service is reported (`backend-address-of-foreign-service`).
   */
  readonly serviceAddresses?: readonly ServiceAddress[];
  /** The gateway's own listener and admin addresses: a Backend or mirror there is `self-target`. */
  readonly ownAddresses?: readonly OwnAddress[];
  /**
   * Check that certificate Secrets hold PEM `tls.crt` / `tls.key` (G-4). Default true. Set false
   * when the data plane loads key pairs from elsewhere (`certificatesFromFiles`) and the Secrets
   * are only names; existence, type and ReferenceGrants are still checked.
   */
  readonly checkCertificateData?: boolean;
  /**
   * The `namespace` value of a label delegation (`delegation.kgateway.dev/label`) that means
   * every namespace (rule 2). Default `all`; change it when a namespace is called `all`, so that
   * `namespace: all` then means that namespace only.
   */
  readonly delegationAllNamespaces?: string;
}

/** A sane bound on maxDelegationDepth (each level keeps an ancestor list and a budget link). */
export const MAX_DELEGATION_DEPTH_CEILING = 256;

/** One step of a delegation chain: a match of a rule of a route. */
export interface Link {
  readonly route: NormalizedRoute;
  readonly rule: NormalizedRule;
  readonly matchIndex: number;
  /** The match in effect at this link: merged with the ancestors' (rules 8, 13). */
  readonly match?: NormalizedMatch;
}

/** A flattened match before hostnames and ranks are assigned. */
export interface Candidate {
  readonly match: NormalizedMatch;
  readonly guards: readonly NormalizedMatch[];
  readonly action: RouteAction;
  readonly links: readonly Link[];
  readonly weight: number;
  /**
   * Set on the marker a delegating match leaves when it has live children (rule 17): not a
   * route, but the scope adapters consult to tell a 404 inside a delegated prefix from no route.
   */
  readonly scope?: true;
}

export class CompileEnv {
  readonly maxDepth: number;
  readonly maxRoutesPerDelegation: number;
  readonly maxFlattenedRoutes: number;
  /** Rule 25: the compile-wide budget every delegation's budget draws from. */
  readonly rootBudget: Budget;
  /** Rule 2: the label delegation namespace that selects every namespace. */
  readonly allNamespaces: string;
  private readonly byNamespace = new Map<string, NormalizedRoute[]>();
  private readonly byLabel = new Map<string, NormalizedRoute[]>();
  private readonly byKey = new Map<string, NormalizedRoute>();
  private readonly actions = new Map<NormalizedRule, RuleAction>();
  private readonly policies = new Map<NormalizedRule, RulePolicy>();
  private readonly delegationChecks = new Map<
    NormalizedRule,
    { readonly problems: readonly RefProblem[]; readonly failClosed: boolean }
  >();
  private readonly weights = new Map<NormalizedRoute, number>();
  private readonly findingKeys = new Set<string>();
  /** Rule 27 findings, each once. */
  readonly findings: Finding[] = [];

  constructor(
    readonly objects: NormalizedObjects,
    readonly book: StatusBook,
    readonly options: CompileOptions,
    readonly diagnostics: Diagnostic[],
  ) {
    this.maxDepth = options.maxDelegationDepth ?? 16;
    if (this.maxDepth > MAX_DELEGATION_DEPTH_CEILING) {
      diagnostics.push({
        severity: 'warning',
        code: 'invalid-option',
        message: `maxDelegationDepth ${this.maxDepth} is above ${MAX_DELEGATION_DEPTH_CEILING}; using ${MAX_DELEGATION_DEPTH_CEILING}`,
      });
      this.maxDepth = MAX_DELEGATION_DEPTH_CEILING;
    }
    this.maxRoutesPerDelegation =
      options.maxRoutesPerDelegation ?? DEFAULT_MAX_ROUTES_PER_DELEGATION;
    this.maxFlattenedRoutes = options.maxFlattenedRoutes ?? DEFAULT_MAX_FLATTENED_ROUTES;
    this.rootBudget = new Budget(this.maxFlattenedRoutes);
    this.allNamespaces = options.delegationAllNamespaces ?? 'all';
    for (const route of objects.routes) {
      this.byKey.set(route.key, route);
      push(this.byNamespace, route.namespace, route);
      const label = route.labels[DELEGATION_LABEL];
      if (label !== undefined) push(this.byLabel, label, route);
    }
  }

  route(namespace: string, name: string): NormalizedRoute | undefined {
    return this.byKey.get(`${namespace}/${name}`);
  }

  routesIn(namespace: string): readonly NormalizedRoute[] {
    return this.byNamespace.get(namespace) ?? [];
  }

  routesLabelled(value: string): readonly NormalizedRoute[] {
    return this.byLabel.get(value) ?? [];
  }

  action(route: NormalizedRoute, rule: NormalizedRule): RuleAction {
    let action = this.actions.get(rule);
    if (!action) this.actions.set(rule, (action = ruleAction(route, rule, this.objects)));
    return action;
  }

  policy(route: NormalizedRoute, rule: NormalizedRule): RulePolicy {
    let policy = this.policies.get(rule);
    if (!policy) this.policies.set(rule, (policy = rulePolicy(route, rule, this.objects)));
    return policy;
  }

  /** Records a finding once (the same code, object, path and message are one finding). */
  find(finding: Finding): void {
    const { code, object, path, message } = finding;
    const key = `${code}|${object.kind}/${object.namespace}/${object.name}|${path ?? ''}|${message}`;
    if (this.findingKeys.has(key)) return;
    this.findingKeys.add(key);
    this.findings.push(finding);
  }

  /** Decision 24: the filters of a delegating rule that cannot be carried out. */
  delegationCheck(route: NormalizedRoute, rule: NormalizedRule) {
    let check = this.delegationChecks.get(rule);
    if (!check)
      this.delegationChecks.set(rule, (check = delegationProblems(route, rule, this.objects)));
    return check;
  }

  /** Rule 19: the owning route's weight, 0 when the option is off; unparsable values are reported. */
  weight(route: NormalizedRoute): number {
    if (!this.options.routeWeight) return 0;
    let weight = this.weights.get(route);
    if (weight === undefined) {
      const text = route.annotations[ROUTE_WEIGHT_ANNOTATION];
      weight = text === undefined ? 0 : Number(text.trim());
      if (!Number.isSafeInteger(weight) || text?.trim() === '') {
        this.warn(
          route,
          `metadata.annotations[${ROUTE_WEIGHT_ANNOTATION}]`,
          'invalid-route-weight',
          `"${text}" is not an integer; using 0`,
        );
        weight = 0;
      }
      this.weights.set(route, weight);
    }
    return weight;
  }

  /**
   * Rule 20: how the route's delegating rules merge their policy with their children's
   * (`kgateway.dev/inherited-policy-priority`); unknown values are reported and give the default.
   */
  policyMerge(route: NormalizedRoute): PolicyMerge {
    const value = route.annotations[INHERITED_POLICY_PRIORITY_ANNOTATION];
    if (value === undefined) return DEFAULT_POLICY_MERGE;
    const known = POLICY_MERGES.find((mode) => mode === value.trim());
    if (known) return known;
    this.warn(
      route,
      `metadata.annotations[${INHERITED_POLICY_PRIORITY_ANNOTATION}]`,
      'invalid-policy-priority',
      `"${value}" is not one of ${POLICY_MERGES.join(', ')}; using ${DEFAULT_POLICY_MERGE}`,
    );
    return DEFAULT_POLICY_MERGE;
  }

  private warn(route: NormalizedRoute, path: string, code: string, message: string) {
    if (
      this.diagnostics.some(
        (d) =>
          d.code === code &&
          d.object?.name === route.name &&
          d.object.namespace === route.namespace,
      )
    )
      return;
    this.diagnostics.push({
      severity: 'warning',
      code,
      message: `HTTPRoute ${route.key}: ${path}: ${message}`,
      object: { kind: 'HTTPRoute', namespace: route.namespace, name: route.name },
      path,
    });
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
