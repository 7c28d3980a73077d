/**
 * The Kubernetes objects Switchyard reads, as a user writes them in YAML or as an API server
 * returns them. Every field is optional where the API lets it be omitted; defaults are applied by
 * `normalize` (`normalize-*.ts`), never by consumers of these types.
 *
 * Groups and versions understood:
 * - `gateway.networking.k8s.io/v1`: Gateway, HTTPRoute, ReferenceGrant (also `v1beta1`)
 * - `v1`: Service, Namespace, Secret
 * - `gateway.kgateway.dev/v1alpha1`: Backend (static hosts)
 */

export interface ObjectMeta {
  readonly name?: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  /** RFC 3339 timestamp; used for precedence ties between routes. */
  readonly creationTimestamp?: string;
  readonly generation?: number;
  readonly resourceVersion?: string;
  readonly uid?: string;
}

export interface KubernetesObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: ObjectMeta;
}

// ---------------------------------------------------------------- Gateway

export type ProtocolType = 'HTTP' | 'HTTPS' | 'TLS' | 'TCP' | 'UDP' | (string & {});

export interface SecretObjectReference {
  readonly group?: string;
  readonly kind?: string;
  readonly name: string;
  readonly namespace?: string;
}

export interface GatewayTLSConfig {
  readonly mode?: 'Terminate' | 'Passthrough';
  readonly certificateRefs?: readonly SecretObjectReference[];
  readonly options?: Readonly<Record<string, string>>;
}

export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values?: readonly string[];
}

export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

export interface RouteGroupKind {
  readonly group?: string;
  readonly kind: string;
}

export interface AllowedRoutes {
  readonly namespaces?: {
    readonly from?: 'All' | 'Same' | 'Selector';
    readonly selector?: LabelSelector;
  };
  readonly kinds?: readonly RouteGroupKind[];
}

export interface Listener {
  readonly name: string;
  readonly hostname?: string;
  readonly port: number;
  readonly protocol: ProtocolType;
  readonly tls?: GatewayTLSConfig;
  readonly allowedRoutes?: AllowedRoutes;
}

export interface Gateway extends KubernetesObject {
  readonly kind?: 'Gateway';
  readonly spec?: {
    readonly gatewayClassName?: string;
    readonly listeners?: readonly Listener[];
  };
}

// ---------------------------------------------------------------- HTTPRoute

export interface ParentReference {
  readonly group?: string;
  readonly kind?: string;
  readonly namespace?: string;
  readonly name: string;
  readonly sectionName?: string;
  readonly port?: number;
}

export type PathMatchType = 'Exact' | 'PathPrefix' | 'RegularExpression';
export type HeaderMatchType = 'Exact' | 'RegularExpression';

export interface HTTPPathMatch {
  readonly type?: PathMatchType;
  readonly value?: string;
}

export interface HTTPHeaderMatch {
  readonly type?: HeaderMatchType;
  readonly name: string;
  readonly value: string;
}

export interface HTTPQueryParamMatch {
  readonly type?: HeaderMatchType;
  readonly name: string;
  readonly value: string;
}

export type HTTPMethod =
  'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE' | 'CONNECT' | 'OPTIONS' | 'TRACE' | 'PATCH';

export interface HTTPRouteMatch {
  readonly path?: HTTPPathMatch;
  readonly headers?: readonly HTTPHeaderMatch[];
  readonly queryParams?: readonly HTTPQueryParamMatch[];
  readonly method?: HTTPMethod;
}

export interface HTTPHeader {
  readonly name: string;
  readonly value: string;
}

export interface HTTPHeaderFilter {
  readonly set?: readonly HTTPHeader[];
  readonly add?: readonly HTTPHeader[];
  readonly remove?: readonly string[];
}

export interface HTTPPathModifier {
  readonly type: 'ReplaceFullPath' | 'ReplacePrefixMatch';
  readonly replaceFullPath?: string;
  readonly replacePrefixMatch?: string;
}

export interface HTTPRequestRedirectFilter {
  readonly scheme?: 'http' | 'https';
  readonly hostname?: string;
  readonly path?: HTTPPathModifier;
  readonly port?: number;
  readonly statusCode?: 301 | 302 | 303 | 307 | 308;
}

export interface HTTPURLRewriteFilter {
  readonly hostname?: string;
  readonly path?: HTTPPathModifier;
}

export interface BackendObjectReference {
  readonly group?: string;
  readonly kind?: string;
  readonly name: string;
  readonly namespace?: string;
  readonly port?: number;
}

export interface HTTPRequestMirrorFilter {
  readonly backendRef: BackendObjectReference;
  readonly percent?: number;
  readonly fraction?: { readonly numerator: number; readonly denominator?: number };
}

export interface HTTPCORSFilter {
  readonly allowOrigins?: readonly string[];
  readonly allowCredentials?: boolean;
  readonly allowMethods?: readonly string[];
  readonly allowHeaders?: readonly string[];
  readonly exposeHeaders?: readonly string[];
  readonly maxAge?: number;
}

export interface LocalObjectReference {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
}

export type HTTPRouteFilterType =
  | 'RequestHeaderModifier'
  | 'ResponseHeaderModifier'
  | 'RequestMirror'
  | 'RequestRedirect'
  | 'URLRewrite'
  | 'ExtensionRef'
  | 'CORS';

export interface HTTPRouteFilter {
  readonly type: HTTPRouteFilterType;
  readonly requestHeaderModifier?: HTTPHeaderFilter;
  readonly responseHeaderModifier?: HTTPHeaderFilter;
  readonly requestMirror?: HTTPRequestMirrorFilter;
  readonly requestRedirect?: HTTPRequestRedirectFilter;
  readonly urlRewrite?: HTTPURLRewriteFilter;
  readonly extensionRef?: LocalObjectReference;
  readonly cors?: HTTPCORSFilter;
}

export interface HTTPBackendRef extends BackendObjectReference {
  readonly weight?: number;
  readonly filters?: readonly HTTPRouteFilter[];
}

export interface HTTPRouteTimeouts {
  /** Gateway API Duration, e.g. `500ms`, `1h30m`. */
  readonly request?: string;
  readonly backendRequest?: string;
}

export interface HTTPRouteRetry {
  readonly codes?: readonly number[];
  readonly attempts?: number;
  readonly backoff?: string;
}

export interface HTTPRouteRule {
  readonly name?: string;
  readonly matches?: readonly HTTPRouteMatch[];
  readonly filters?: readonly HTTPRouteFilter[];
  readonly backendRefs?: readonly HTTPBackendRef[];
  readonly timeouts?: HTTPRouteTimeouts;
  readonly retry?: HTTPRouteRetry;
}

export interface HTTPRoute extends KubernetesObject {
  readonly kind?: 'HTTPRoute';
  readonly spec?: {
    readonly parentRefs?: readonly ParentReference[];
    readonly hostnames?: readonly string[];
    readonly rules?: readonly HTTPRouteRule[];
  };
}

// ---------------------------------------------------------------- ReferenceGrant

export interface ReferenceGrantFrom {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
}

export interface ReferenceGrantTo {
  readonly group: string;
  readonly kind: string;
  readonly name?: string;
}

export interface ReferenceGrant extends KubernetesObject {
  readonly kind?: 'ReferenceGrant';
  readonly spec?: {
    readonly from?: readonly ReferenceGrantFrom[];
    readonly to?: readonly ReferenceGrantTo[];
  };
}

// ---------------------------------------------------------------- core v1

export interface ServicePort {
  readonly name?: string;
  readonly protocol?: string;
  readonly appProtocol?: string;
  readonly port: number;
  readonly targetPort?: number | string;
}

export interface Service extends KubernetesObject {
  readonly kind?: 'Service';
  readonly spec?: {
    readonly type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
    readonly clusterIP?: string;
    readonly selector?: Readonly<Record<string, string>>;
    readonly ports?: readonly ServicePort[];
    readonly externalName?: string;
  };
}

export interface Namespace extends KubernetesObject {
  readonly kind?: 'Namespace';
}

export interface Secret extends KubernetesObject {
  readonly kind?: 'Secret';
  readonly type?: string;
  /** Base64 values, as in the API. */
  readonly data?: Readonly<Record<string, string>>;
  readonly stringData?: Readonly<Record<string, string>>;
}

// ---------------------------------------------------------------- kgateway

export interface StaticHost {
  readonly host: string;
  readonly port: number;
}

/** kgateway `Backend` (`gateway.kgateway.dev/v1alpha1`); only `type: Static` routes traffic here. */
export interface KgatewayBackend extends KubernetesObject {
  readonly kind?: 'Backend';
  readonly spec?: {
    readonly type?: 'Static' | (string & {});
    readonly static?: {
      readonly hosts?: readonly StaticHost[];
      readonly appProtocol?: string;
    };
  };
}

// ---------------------------------------------------------------- well-known names

export const GATEWAY_GROUP = 'gateway.networking.k8s.io';
export const KGATEWAY_GROUP = 'gateway.kgateway.dev';
export const DELEGATION_GROUP = 'delegation.kgateway.dev';
export const DELEGATION_LABEL = 'delegation.kgateway.dev/label';
export const INHERIT_PARENT_MATCHER_ANNOTATION = 'delegation.kgateway.dev/inherit-parent-matcher';
export const ROUTE_WEIGHT_ANNOTATION = 'kgateway.dev/route-weight';
export const INHERITED_POLICY_PRIORITY_ANNOTATION = 'kgateway.dev/inherited-policy-priority';
/**
 * Rule 27: on a parent route, the namespaces (comma-separated) whose routes may answer its label
 * delegations. Switchyard's own key: kgateway ignores it, so the YAML stays portable.
 */
export const ALLOWED_NAMESPACES_ANNOTATION = 'delegation.switchyard.dev/allowed-namespaces';
