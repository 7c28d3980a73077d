/**
 * What an exchange needs from the proxy that runs it: pools, the resolver, defaults, and where
 * to report. Implemented by `createProxy`; kept as an interface so `forward/` does not depend on
 * the engine's construction.
 */
import type { RouteRef } from '@switchyard/core';
import type { BackendResolver, BackendTarget } from '../backends/resolver.js';
import type { SwitchyardError } from '../errors.js';
import type { ForwardingPolicy } from '../forwarding.js';
import type { ProxyRequest } from '../respond.js';
import type { PoolSet } from './pools.js';
import type { MirrorLoad } from './mirror.js';
import type { ByteBudget } from './body.js';

/** A finished exchange, as metrics and access logs see it. */
export interface FinishedExchange {
  readonly req: ProxyRequest;
  /** Status sent; 499 when the client went away first. */
  readonly status: number;
  /** `performance.now()` at arrival. */
  readonly startedAt: number;
  readonly route: RouteRef | undefined;
  readonly chain: readonly RouteRef[] | undefined;
  readonly backend: BackendTarget | undefined;
  readonly origin: string | undefined;
  readonly attempts: number;
  readonly error: SwitchyardError | undefined;
  readonly requestId: string | undefined;
}

export interface EngineContext {
  readonly pools: PoolSet;
  readonly resolver: BackendResolver;
  readonly random: () => number;
  /** Lower-case request-id header, undefined for none. */
  readonly requestIdHeader: string | undefined;
  readonly generateId: () => string;
  /** Decision 16's forwarding headers; undefined writes none. */
  readonly forwarding: ForwardingPolicy | undefined;
  /** The gateway's `Via` pseudonym (decision 21). */
  readonly via: string;
  /** The pseudonym to add to backend responses' `Via` (`responseVia`), or undefined for none. */
  readonly responseVia: string | undefined;
  /** Defaults for routes without `timeouts`. */
  readonly requestTimeoutMs: number | undefined;
  readonly backendTimeoutMs: number | undefined;
  /** Largest body read into memory so that a retry can replay it. */
  readonly retryBufferBytes: number;
  /** Rule 28: the most retries of one request (`ProxyOptions.maxRetries`). */
  readonly maxRetries: number;
  readonly mirrorTimeoutMs: number;
  /** Largest backlog a mirror may fall behind the primary before it is dropped. */
  readonly mirrorBufferBytes: number;
  /** Mirrored requests in flight per mirror backend; more are dropped (rule 28). */
  readonly mirrorConcurrency: number;
  /** The mirrored requests in flight, per mirror backend. */
  readonly mirrorLoad: MirrorLoad;
  /** Request bodies up to this size are read before a backend connection is taken; 0: none. */
  readonly bodyBufferBytes: number;
  /** The memory every request together may hold for those bodies. */
  readonly bodyBudget: ByteBudget;
  /** Longest pause in a request body before 408; 0: none. */
  readonly bodyIdleTimeoutMs: number;
  /** Longest time to receive a whole request body before 408; 0: none. */
  readonly bodyReadTimeoutMs: number;
  /** Longest time a client may read nothing of a response it is behind on; 0: none. */
  readonly responseStallTimeoutMs: number;
  /** An exchange started (in-flight accounting). */
  begin(): void;
  /** An exchange finished: in-flight accounting, metrics, access log. */
  finish(exchange: FinishedExchange): void;
  /** One failed backend attempt, for metrics. */
  upstreamError(route: RouteRef | undefined, backend: BackendTarget, code: string): void;
}

/** A record for answers that are not an `Exchange` (gateway answers, upgrades). */
export function answered(
  req: ProxyRequest,
  startedAt: number,
  status: number,
  fields: {
    readonly route?: RouteRef | undefined;
    readonly chain?: readonly RouteRef[] | undefined;
    readonly backend?: BackendTarget | undefined;
    readonly origin?: string | undefined;
    readonly attempts?: number;
    readonly error?: SwitchyardError | undefined;
    readonly requestId?: string | undefined;
  },
): FinishedExchange {
  return {
    req,
    startedAt,
    status,
    route: fields.route,
    chain: fields.chain,
    backend: fields.backend,
    origin: fields.origin,
    attempts: fields.attempts ?? 0,
    error: fields.error,
    requestId: fields.requestId,
  };
}
