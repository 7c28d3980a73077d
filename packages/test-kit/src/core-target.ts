/**
 * The case target for `@switchyard/core` itself: `compile` the case's objects once per (object
 * state, Gateway), `resolve` each request, and read the answer off the decision. No sockets, no
 * backends: what the core decides is shown exactly (weighted splits and mirror shares included),
 * and what only a data plane can show (timeouts firing, retries, WebSocket frames) is skipped.
 */
import { compile, resolve } from '@switchyard/core';
import type { CompileOptions, CompileResult } from '@switchyard/core';
import type { CaseFile, ObjectRef } from './case-types.js';
import { observeDecision } from './core-observe.js';
// The corpus's placeholder Secrets become real PEM, as every data plane sees them: the core
// checks the PEM shape of certificate Secrets.
import { withTlsMaterial } from './http-target/tls-objects.js';
import type {
  CaseSession,
  CaseTarget,
  NormalizedRequest,
  Observable,
  Observation,
} from './target.js';

/** Every feature of the Gateway API corpus the core implements, plus route delegation. */
export const CORE_FEATURES: ReadonlySet<string> = new Set([
  'Gateway',
  'GatewayHTTPListenerIsolation',
  'GatewayHTTPSListenerDetectMisdirectedRequests',
  'GatewayPort8080',
  'HTTPRoute',
  'HTTPRoute303RedirectStatusCode',
  'HTTPRoute307RedirectStatusCode',
  'HTTPRoute308RedirectStatusCode',
  'HTTPRouteBackendProtocolH2C',
  'HTTPRouteBackendProtocolWebSocket',
  'HTTPRouteBackendRequestHeaderModification',
  'HTTPRouteBackendRequestRedirect',
  'HTTPRouteBackendTimeout',
  'HTTPRouteBackendURLRewrite',
  'HTTPRouteCORS',
  'HTTPRouteDestinationPortMatching',
  'HTTPRouteHostRewrite',
  'HTTPRouteMethodMatching',
  'HTTPRouteNamedRouteRule',
  'HTTPRouteParentRefPort',
  'HTTPRoutePathRedirect',
  'HTTPRoutePathRewrite',
  'HTTPRoutePortRedirect',
  'HTTPRouteQueryParamMatching',
  'HTTPRouteRequestMirror',
  'HTTPRouteRequestMultipleMirrors',
  'HTTPRouteRequestPercentageMirror',
  'HTTPRouteRequestTimeout',
  'HTTPRouteResponseHeaderModification',
  'HTTPRouteRetry',
  'HTTPRouteRetryBackendTimeout',
  'HTTPRouteRetryConnectionError',
  'HTTPRouteSchemeRedirect',
  'ReferenceGrant',
  'Delegation',
  // FORMAT keys
  'updates',
  'options.routeWeight',
  'options.maxDelegationDepth',
  'options.maxRoutesPerDelegation',
  'options.delegationAllNamespaces',
]);

/**
 * What a decision cannot show: anything that happens in time or on the wire after it. `http2` is
 * *not* here: a decision does not depend on the wire protocol (an HTTP/2 request reaches `resolve`
 * as its `:authority`, scheme, port and SNI), so the core shows the routing half of those cases
 * and the adapters show the protocol half.
 */
const NOT_OBSERVABLE: ReadonlySet<Observable> = new Set<Observable>([
  'backends.sampled',
  'mirrors.percent.sampled',
  'timeout',
  'delay',
  'retry',
  'websocket',
]);

export interface CoreTargetOptions {
  /** Default `core`. */
  readonly name?: string;
  /**
   * Play the echo backend's `x-echo-set-header` knob (the backend answers with those headers), so
   * that ResponseHeaderModifier cases check the decision's modifiers against a known backend
   * answer. Default true; false skips those cases.
   */
  readonly echoResponseHeaders?: boolean;
  /**
   * The Host a request without `host` carries, as a client of a real Gateway would send its address
   * (upstream conformance sends the Gateway's IP). Default `192.0.2.1` (RFC 5737), with `:port`
   * unless the port is the scheme's default; it matches no listener or route hostname. `false`
   * sends no host at all, which leaves the core without a host for redirect `Location`s.
   */
  readonly gatewayAddress?: string | false;
}

/**
 * The target for `runCases` that checks `compile` + `resolve` directly.
 * @example runCases({ target: coreTarget(), dirs: [casesDir.gatewayApi] });
 */
export function coreTarget(options: CoreTargetOptions = {}): CaseTarget {
  const echo = options.echoResponseHeaders ?? true;
  const address = options.gatewayAddress ?? '192.0.2.1';
  return {
    name: options.name ?? 'core',
    supports: (feature) => CORE_FEATURES.has(feature),
    canObserve: (what) => !NOT_OBSERVABLE.has(what) && (echo || what !== 'response.echo'),
    open: async (caseFile) => new CoreSession(caseFile, echo, address),
  };
}

class CoreSession implements CaseSession {
  private objects: readonly unknown[];
  private readonly compiled = new Map<string, CompileResult>();

  constructor(
    private readonly caseFile: CaseFile,
    private readonly echo: boolean,
    private readonly address: string | false,
  ) {
    this.objects = withTlsMaterial(caseFile.objects);
  }

  private compileFor(gateway: ObjectRef | undefined): CompileResult {
    const key = gateway ? `${gateway.namespace}/${gateway.name}` : '';
    let result = this.compiled.get(key);
    if (!result) {
      result = compile(this.objects, {
        ...caseCompileOptions(this.caseFile),
        ...(gateway ? { gateway } : {}),
      });
      this.compiled.set(key, result);
    }
    return result;
  }

  async send(original: NormalizedRequest): Promise<Observation> {
    const request = withGatewayAddress(original, this.address);
    const { table } = this.compileFor(request.gateway);
    const decision = resolve(table, {
      method: request.method,
      path: request.path,
      ...(request.host === undefined ? {} : { host: request.host }),
      headers: request.headers,
      port: request.port,
      scheme: request.scheme,
      ...(request.sni === undefined ? {} : { sni: request.sni }),
    });
    return observeDecision(decision, request, this.echo);
  }

  async statuses(): Promise<{
    routes: CompileResult['statuses'];
    gateways: CompileResult['gateways'];
  }> {
    const { statuses, gateways } = this.compileFor(this.caseFile.gateway);
    return { routes: statuses, gateways };
  }

  async apply(
    _step: unknown,
    objects: readonly Readonly<Record<string, unknown>>[],
  ): Promise<void> {
    this.objects = withTlsMaterial(objects);
    this.compiled.clear();
  }

  async close(): Promise<void> {}
}

const DEFAULT_PORTS = { http: 80, https: 443 } as const;

/** Fills in the Gateway address as the Host of a request that names none. */
function withGatewayAddress(
  request: NormalizedRequest,
  address: string | false,
): NormalizedRequest {
  if (request.host !== undefined || address === false) return request;
  const port = request.port === DEFAULT_PORTS[request.scheme] ? '' : `:${request.port}`;
  return { ...request, host: `${address}${port}` };
}

/** The compile options a case file sets (`options:`), for every target that compiles. */
export function caseCompileOptions(caseFile: CaseFile): CompileOptions {
  const { routeWeight, maxDelegationDepth, maxRoutesPerDelegation, delegationAllNamespaces } =
    caseFile.options;
  return {
    ...(typeof routeWeight === 'boolean' ? { routeWeight } : {}),
    ...(typeof maxDelegationDepth === 'number' ? { maxDelegationDepth } : {}),
    ...(typeof maxRoutesPerDelegation === 'number' ? { maxRoutesPerDelegation } : {}),
    ...(typeof delegationAllNamespaces === 'string' ? { delegationAllNamespaces } : {}),
  };
}
