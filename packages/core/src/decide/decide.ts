/**
 * From the winning FlatRoute to a Decision: forward (with the upstream target rewritten),
 * redirect (with its Location), or respond. CORS preflights on a route with a CORS filter are
 * answered here, with 204 (CO-6 allows 200 or 204; 204 says "no body" and is what browsers
 * expect), and without CORS headers when the origin is not allowed (CO-2).
 */
import type {
  Decision,
  DecisionBackend,
  ForwardDecision,
  ListenerRef,
  Mirror,
  RedirectDecision,
  RouteRef,
  UpstreamTarget,
} from '../decision.js';
import type { NormalizedCors, NormalizedRewrite } from '../api/normalized.js';
import type { FlatRoute, RouteAction, TableBackend, TableListener } from '../table.js';
import type { RequestView } from '../match/request-view.js';
import { corsPreflight } from './cors.js';
import { applyPathModifier } from './path-modifier.js';
import { redirectLocation, type RedirectRequest } from './redirect.js';

export interface DecideInput {
  readonly route: FlatRoute;
  readonly listener: TableListener;
  readonly scheme: 'http' | 'https';
  /** Lower-case request host without port. */
  readonly host: string | undefined;
  readonly request: RequestView;
}

type ForwardAction = Extract<RouteAction, { kind: 'forward' }>;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The decision for a request that matched `input.route`. */
export function decide(input: DecideInput): Decision {
  const { route, listener: tableListener } = input;
  const chain = route.chain;
  // Object literals rather than spreads of a shared base: this runs once per request.
  const listener: ListenerRef = { name: tableListener.name, port: tableListener.port };
  const owner = chain[chain.length - 1] as RouteRef;
  const action = route.action;
  if (action.kind === 'respond') {
    return {
      kind: 'respond',
      status: action.status,
      reason: action.reason,
      listener,
      route: owner,
      chain,
    };
  }
  if (action.cors !== undefined && isPreflight(input.request)) {
    const headers = preflightHeaders(action.cors, input.request);
    return {
      kind: 'respond',
      status: 204,
      reason: 'cors preflight',
      headers,
      listener,
      route: owner,
      chain,
    };
  }
  if (action.kind === 'redirect') {
    const status = action.redirect.statusCode;
    const location = redirectLocation(action.redirect, redirectRequest(input));
    const decision: Mutable<RedirectDecision> = {
      kind: 'redirect',
      listener,
      route: owner,
      chain,
      status,
      location,
    };
    if (action.responseHeaders !== undefined) decision.responseHeaders = action.responseHeaders;
    return decision;
  }
  const invalid = allInvalid(action.backends);
  if (invalid !== undefined) {
    return {
      kind: 'respond',
      status: invalid.status,
      reason: invalid.reason,
      listener,
      route: owner,
      chain,
    };
  }
  const decision: Mutable<ForwardDecision> = {
    kind: 'forward',
    listener,
    route: owner,
    chain,
    backends: decisionBackends(action, input),
    upstream: upstreamTarget(action.rewrite, input),
    mirrors: action.mirrors,
  };
  if (action.requestHeaders !== undefined) decision.requestHeaders = action.requestHeaders;
  if (action.responseHeaders !== undefined) decision.responseHeaders = action.responseHeaders;
  if (action.cors !== undefined) decision.cors = action.cors;
  if (action.timeouts !== undefined) decision.timeouts = action.timeouts;
  if (action.retry !== undefined) decision.retry = action.retry;
  return decision;
}

/**
 * The constant part of a plain forward: a forward action without CORS, without a URLRewrite, with
 * no backend-level rewrite or redirect and at least one valid backend. Such a route's Decision
 * differs between requests only in the listener and the upstream path, so the index computes the
 * rest once (`forwardPlan`) and `resolve` skips `decide`, and the loads of `route.chain`,
 * `route.action` and every backend that it would make per request.
 */
export interface ForwardPlan {
  readonly route: RouteRef;
  readonly chain: readonly RouteRef[];
  readonly backends: readonly DecisionBackend[];
  readonly mirrors: readonly Mirror[];
  readonly requestHeaders: ForwardAction['requestHeaders'];
  readonly responseHeaders: ForwardAction['responseHeaders'];
  readonly timeouts: ForwardAction['timeouts'];
  readonly retry: ForwardAction['retry'];
}

/** The route's {@link ForwardPlan}, or undefined when its Decision needs {@link decide}. */
export function forwardPlan(route: FlatRoute): ForwardPlan | undefined {
  const action = route.action;
  if (action.kind !== 'forward' || action.cors !== undefined || action.rewrite !== undefined) {
    return undefined;
  }
  if (allInvalid(action.backends) !== undefined) return undefined;
  for (const backend of action.backends) if (isPerRequest(backend)) return undefined;
  const chain = route.chain;
  return {
    route: chain[chain.length - 1] as RouteRef,
    chain,
    backends: action.backends as readonly StaticBackend[],
    mirrors: action.mirrors,
    requestHeaders: action.requestHeaders,
    responseHeaders: action.responseHeaders,
    timeouts: action.timeouts,
    retry: action.retry,
  };
}

/** What {@link decide} returns for a route with a {@link ForwardPlan}, built from the plan alone. */
export function decidePlanned(
  plan: ForwardPlan,
  listener: TableListener,
  request: RequestView,
): ForwardDecision {
  const query = request.query;
  const decision: Mutable<ForwardDecision> = {
    kind: 'forward',
    listener: { name: listener.name, port: listener.port },
    route: plan.route,
    chain: plan.chain,
    backends: plan.backends,
    upstream: { path: query === undefined ? request.path : `${request.path}?${query}` },
    mirrors: plan.mirrors,
  };
  if (plan.requestHeaders !== undefined) decision.requestHeaders = plan.requestHeaders;
  if (plan.responseHeaders !== undefined) decision.responseHeaders = plan.responseHeaders;
  if (plan.timeouts !== undefined) decision.timeouts = plan.timeouts;
  if (plan.retry !== undefined) decision.retry = plan.retry;
  return decision;
}

/** The first backend's problem when every backend is invalid (B-3), else undefined. */
function allInvalid(backends: readonly TableBackend[]): TableBackend['invalid'] {
  for (const backend of backends) if (backend.invalid === undefined) return undefined;
  return backends[0]?.invalid;
}

/**
 * Backends without a backend-level redirect or rewrite are already decision-shaped (same fields,
 * frozen), so they are passed through without copying; the others get their own `upstream` or
 * `location` for this request.
 */
function decisionBackends(action: ForwardAction, input: DecideInput): readonly DecisionBackend[] {
  const backends = action.backends;
  let perRequest = false;
  for (const backend of backends) if (isPerRequest(backend)) perRequest = true;
  if (!perRequest) return backends as readonly StaticBackend[];
  return backends.map((backend): DecisionBackend => {
    const { rewrite, redirect, ...rest } = backend;
    if (rewrite === undefined && redirect === undefined) return backend as StaticBackend;
    let result: DecisionBackend = rest;
    if (rewrite !== undefined) {
      // The backend's own hostname and path win; what it leaves out comes from the rule.
      const merged: NormalizedRewrite = { ...action.rewrite, ...rewrite };
      result = { ...result, upstream: upstreamTarget(merged, input) };
    }
    if (redirect !== undefined) {
      const location = redirectLocation(redirect, redirectRequest(input));
      result = { ...result, redirect: { status: redirect.statusCode, location } };
    }
    return result;
  });
}

/** What a backend without per-request parts is: exactly a DecisionBackend. */
type StaticBackend = Omit<TableBackend, 'rewrite' | 'redirect'>;

function isPerRequest(backend: TableBackend): boolean {
  return backend.rewrite !== undefined || backend.redirect !== undefined;
}

/** The normalised path (rewritten when a URLRewrite says so) with the original query. */
function upstreamTarget(
  rewrite: NormalizedRewrite | undefined,
  input: DecideInput,
): UpstreamTarget {
  const { path, query } = input.request;
  const rewritten =
    rewrite?.path === undefined
      ? path
      : applyPathModifier(path, rewrite.path, matchedPrefix(input.route));
  const target = query === undefined ? rewritten : `${rewritten}?${query}`;
  return rewrite?.hostname === undefined
    ? { path: target }
    : { path: target, host: rewrite.hostname };
}

/**
 * The prefix ReplacePrefixMatch replaces. For a RegularExpression match under a delegation it is
 * the innermost parent prefix: the runtime guard (rule 10) proves the request is under it, and a
 * regex route only ever gets ReplacePrefixMatch by inheriting it from that parent.
 */
function matchedPrefix(route: FlatRoute): string | undefined {
  if (route.match.path.type !== 'RegularExpression') return route.match.path.value;
  for (let i = route.guards.length - 1; i >= 0; i--) {
    const guard = route.guards[i]!.path;
    if (guard.type === 'PathPrefix') return guard.value;
  }
  return undefined;
}

function redirectRequest(input: DecideInput): RedirectRequest {
  return {
    scheme: input.scheme,
    host: input.host,
    listenerPort: input.listener.port,
    listenerHostname: input.listener.hostname,
    path: input.request.path,
    query: input.request.query,
    matchedPrefix: matchedPrefix(input.route),
  };
}

function isPreflight(request: RequestView): boolean {
  return (
    request.method === 'OPTIONS' &&
    request.header('origin') !== undefined &&
    request.header('access-control-request-method') !== undefined
  );
}

function preflightHeaders(cors: NormalizedCors, request: RequestView): Record<string, string> {
  return corsPreflight(cors, {
    origin: request.header('origin'),
    method: request.header('access-control-request-method'),
    headers: request.header('access-control-request-headers'),
  });
}
