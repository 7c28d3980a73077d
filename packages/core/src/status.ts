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
