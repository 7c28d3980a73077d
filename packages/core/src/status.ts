/** Route and listener statuses as `compile` reports them, in the Gateway API's shape. */

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface Condition {
  readonly type: string;
  readonly status: ConditionStatus;
  readonly reason: string;
  readonly message: string;
  readonly observedGeneration?: number;
}

export interface StatusParentRef {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly sectionName?: string;
  readonly port?: number;
}

export interface RouteParentStatus {
  readonly parentRef: StatusParentRef;
  readonly conditions: readonly Condition[];
}

export interface RouteStatus {
  readonly kind: 'HTTPRoute';
  readonly namespace: string;
  readonly name: string;
  readonly parents: readonly RouteParentStatus[];
}

export interface ListenerStatus {
  readonly name: string;
  readonly attachedRoutes: number;
  readonly supportedKinds: readonly { readonly group: string; readonly kind: string }[];
  readonly conditions: readonly Condition[];
}

export interface GatewayStatus {
  readonly kind: 'Gateway';
  readonly namespace: string;
  readonly name: string;
  readonly conditions: readonly Condition[];
  readonly listeners: readonly ListenerStatus[];
}

/** A problem with the input that is not a status of a route: unparsable objects, unknown kinds. */
export interface Diagnostic {
  readonly severity: 'error' | 'warning';
  /** Stable code, e.g. `not-an-object`, `unknown-kind`, `missing-name`, `duplicate-object`. */
  readonly code: string;
  readonly message: string;
  /** Index of the object in the input list, when the problem belongs to one. */
  readonly index?: number;
  readonly object?: { readonly kind?: string; readonly namespace?: string; readonly name?: string };
  /** Field path inside the object, e.g. `spec.rules[0].matches[1]`. */
  readonly path?: string;
}

/**
 * A situation that compiles but that the platform must see (delegation.md rule 27 and section 9):
 * one team's objects reaching into another team's scope, or a value that does not mean what its
 * text says. Findings are facts as data: `check` renders them on the file of `object` (the route
 * or Backend whose YAML causes them), never as a failure of a namespace listed in `affects`.
 */
export interface Finding {
  /** Stable code, e.g. `label-delegation-spans-namespaces`, `grafts-foreign-routes`. */
  readonly code: FindingCode;
  /** `error` fails `check` for the namespace of `object`; `warning` is reported only. */
  readonly severity: 'error' | 'warning';
  /** The object whose manifest causes the finding. */
  readonly object: { readonly kind: string; readonly namespace: string; readonly name: string };
  /** Field path inside that object, e.g. `spec.rules[0].backendRefs[0]`. */
  readonly path?: string;
  /** Namespaces whose routes, Services or traffic are reached (never blamed for it). */
  readonly affects: readonly string[];
  /**
   * The objects reached, when they are known: e.g. the other team's routes a graft selected. A
   * status entry of a reached route under `object` is the finding's doing, not that route's fault,
   * so `check -n <their namespace>` does not count it.
   */
  readonly reached?: readonly {
    readonly kind: string;
    readonly namespace: string;
    readonly name: string;
  }[];
  readonly message: string;
}

/** The finding codes; new ones are added here so that renderers can rely on the list. */
export type FindingCode =
  /** A label delegation (`namespace: all`) selected routes from more than one namespace. */
  | 'label-delegation-spans-namespaces'
  /** A delegated child selects routes in another namespace, grafting them under its own prefix. */
  | 'grafts-foreign-routes'
  /** A parent selects another namespace's route by name or wildcard without that route's consent. */
  | 'selects-without-consent'
  /** A route attached to a Gateway claims requests inside a prefix delegated to another namespace. */
  | 'shadows-delegated-prefix'
  /** A static Backend's address is a known address of another namespace's Service. */
  | 'backend-address-of-foreign-service'
  /** A backend, Backend host or mirror resolves to one of the gateway's own addresses. */
  | 'self-target'
  /** A match value whose canonical form (decision 4) differs from its text. */
  | 'canonical-form-differs'
  /** A route answers a label delegation whose parent does not allow its namespace. */
  | 'namespace-not-allowed';
