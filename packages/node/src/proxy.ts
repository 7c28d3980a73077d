/**
 * The proxy engine: carries out a core `Decision` on a Node request. It owns the connection
 * pools, the backend resolver, metrics and logs; it holds no route table, so the listener (or a
 * framework adapter) decides with whatever table it likes and hands the decision over.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { performance } from 'node:perf_hooks';
import type { Decision, ForwardDecision, RouteRef } from '@switchyard/core';
import { defaultResolver } from './backends/default.js';
import { DestinationGuard } from './destinations/guard.js';
import type { OwnAddresses } from './destinations/own-addresses.js';
import type { DestinationPolicy } from './destinations/policy.js';
import type { BackendResolver, BackendTarget } from './backends/resolver.js';
import { InvalidOptionError, errorForStatus } from './errors.js';
import { chooseBackend } from './forward/choose.js';
import { answered } from './forward/context.js';
import type { EngineContext, FinishedExchange } from './forward/context.js';
import { Exchange } from './forward/exchange.js';
import type { ExchangeOptions } from './forward/exchange.js';
import { forwardingPolicy } from './forwarding.js';
import type { ForwardingPolicy, TrustedProxies } from './forwarding.js';
import { applyModifiers } from './headers.js';
import { admit, admitUpgrade, mayTunnel } from './admission.js';
import { intakePolicy } from './intake.js';
import type { IntakeOptions, IntakePolicy } from './intake.js';
import { PoolSet } from './forward/pools.js';
import { MirrorLoad } from './forward/mirror.js';
import { ByteBudget } from './forward/body.js';
import type { PoolOptions } from './forward/pools.js';
import { backendLabel, routeLabel } from './labels.js';
import { logAccess } from './logging.js';
import type { Logger } from './logging.js';
import type { ProxyMetrics } from './metrics.js';
import { sendEmpty, sendError } from './respond.js';
import type { ProxyRequest, ProxyResponse } from './respond.js';
import { proxyUpgrade } from './upgrade.js';

export type { ExchangeOptions } from './forward/exchange.js';

export interface ProxyOptions extends IntakeOptions {
  /** Where backends are; default: kgateway static Backends directly, Services by cluster DNS. */
  readonly resolver?: BackendResolver;
  /** Connection pool settings (per backend origin). */
  readonly pool?: PoolOptions;
  /** Access logs; default none. Pass a pino logger (`defaultLogger()` logs JSON to stdout). */
  readonly logger?: Logger | false;
  /** Prometheus metrics from `createMetrics()`; default none. */
  readonly metrics?: ProxyMetrics | false;
  /** Random numbers in [0, 1) for weighted picks and mirror shares; default `Math.random`. */
  readonly random?: () => number;
  /** The request-id header kept or generated; default `x-request-id`; `false` for none. */
  readonly requestIdHeader?: string | false;
  /** Generates request ids; default `crypto.randomUUID`. */
  readonly generateRequestId?: () => string;
  /**
   * Write forwarding headers (decision 16); default true. The gateway is the edge: the client's
   * `X-Forwarded-Proto/-Host/-Port` are replaced by what the gateway saw, `X-Forwarded-For` is
   * appended to, `Forwarded` is replaced by the gateway's own element.
   */
  readonly forwardedHeaders?: boolean;
  /** Peers whose forwarding headers are kept and extended instead of replaced; default none. */
  readonly trustedProxies?: TrustedProxies;
  /** Timeouts for routes that set none (milliseconds; absent = none). */
  readonly timeouts?: { readonly requestMs?: number; readonly backendRequestMs?: number };
  /**
   * Request bodies up to this size (with a known length) are read into memory when the route has
   * a retry policy, so that a retry can send them again; larger or chunked bodies are streamed and
   * not retried. Default 64 KiB.
   */
  readonly retryBufferBytes?: number;
  /**
   * Rule 28: the most retries of one request, whatever a route's `retry.attempts` says (the
   * Gateway API sets no maximum, so a tenant's route could turn one request into any number of
   * backend requests). Default 5; 0 disables retries.
   */
  readonly maxRetries?: number;
  /**
   * Where backends may be (decision 22): link-local and cloud metadata addresses are refused by
   * default (`SWY_DESTINATION_DENIED`); `deny` adds CIDRs, `allow` makes exceptions.
   */
  readonly destinations?: DestinationPolicy;
  /**
   * Mirrors: the longest a mirrored request may live, from dispatch to its last byte (default
   * 10 s), the largest backlog behind the primary (default 1 MiB), and how many mirrored requests
   * may be in flight per mirror backend (default 64; more are dropped and counted as
   * `mirror_dropped`).
   */
  readonly mirror?: {
    readonly timeoutMs?: number;
    readonly bufferBytes?: number;
    readonly concurrency?: number;
  };
  /**
   * Request bodies (rule 28). `bufferBytes` (default 64 KiB): a body up to this size is read
   * before a backend connection is taken, so a slow client never holds one; larger bodies are
   * streamed; 0 streams every body. `bufferTotalBytes` (default 64 MiB): the memory all requests
   * together may hold that way; past it, bodies are streamed. `idleTimeoutMs` (default 30 s): the longest pause between two
   * chunks; `readTimeoutMs` (default 300 s): the longest time for the whole body. Either answers
   * 408 `SWY_BODY_TIMEOUT` and aborts the backend request; 0 turns it off.
   */
  readonly body?: {
    readonly bufferBytes?: number;
    readonly bufferTotalBytes?: number;
    readonly idleTimeoutMs?: number;
    readonly readTimeoutMs?: number;
  };
  /**
   * Responses (rule 28). `stallTimeoutMs` (default 60 s): a client that reads nothing of an
   * answer it is behind on for this long is disconnected and the backend request aborted, so it
   * cannot hold a backend connection paused by backpressure; 0 turns it off.
   */
  readonly response?: { readonly stallTimeoutMs?: number };
}

/**
 * Carries out decisions. One engine per process is typical: it pools connections per backend
 * origin across every listener and every table swap.
 */
export interface ProxyEngine {
  /**
   * Answers a request as `decision` says: respond, redirect, or forward to a backend. Never
   * throws; every failure becomes an error answer (see `docs/errors.md`).
   */
  handle(
    req: ProxyRequest,
    res: ProxyResponse,
    decision: Decision,
    options?: ExchangeOptions,
  ): void;
  /** `handle` for a forward decision (framework adapters that answer the others themselves). */
  forward(
    req: ProxyRequest,
    res: ProxyResponse,
    decision: ForwardDecision,
    options?: ExchangeOptions,
  ): void;
  /**
   * Carries an HTTP/1.1 `upgrade` event (WebSocket) as `decision` says. Only protocols on the
   * `upgrades` allow-list are tunnelled (decision 17); any other upgrade is served as plain HTTP.
   */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, decision: Decision): void;
  /** What request intake enforces (Via pseudonym, upgrade allow-list, target length). */
  readonly intake: IntakePolicy;
  /**
   * Request intake (decisions 14, 15, 21, target length): call before resolving. False when the
   * request was refused and answered (with its code; the connection then closes); an
   * absolute-form target has been moved into `req.url` and `Host` when it returns true.
   */
  admit(req: ProxyRequest, res: ProxyResponse): boolean;
  /**
   * Intake for an `upgrade` event, in order behind answers still due on the connection: calls
   * `proceed` when the upgrade is to be tunnelled (resolve, then `upgrade`); otherwise serves it
   * as plain HTTP or refuses it itself (decision 17).
   */
  admitUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, proceed: () => void): void;
  /** Exchanges in progress (WebSocket tunnels not included). */
  readonly inFlight: number;
  /**
   * The addresses this proxy's own servers listen on (decision 21): a backend resolving to one is
   * refused with 508 (`SWY_SELF_TARGET`). `createGateway` records its listeners and admin port;
   * behind your own server, `proxy.ownAddresses.add(server.address())`.
   */
  readonly ownAddresses: OwnAddresses;
  /** Open WebSocket (upgrade) tunnels. */
  readonly tunnels: number;
  /** Resolves when no exchange is in progress. */
  idle(): Promise<void>;
  /**
   * Closes the pools (in-flight requests finish first unless `force`) and every tunnel.
   */
  close(options?: { readonly force?: boolean }): Promise<void>;
}

class Engine implements EngineContext, ProxyEngine {
  readonly pools: PoolSet;
  readonly resolver: BackendResolver;
  readonly random: () => number;
  readonly requestIdHeader: string | undefined;
  readonly generateId: () => string;
  readonly forwarding: ForwardingPolicy | undefined;
  readonly via: string;
  readonly responseVia: string | undefined;
  readonly intake: IntakePolicy;
  readonly requestTimeoutMs: number | undefined;
  readonly backendTimeoutMs: number | undefined;
  readonly retryBufferBytes: number;
  readonly maxRetries: number;
  readonly mirrorTimeoutMs: number;
  readonly mirrorBufferBytes: number;
  readonly mirrorConcurrency: number;
  readonly mirrorLoad = new MirrorLoad();
  readonly bodyBufferBytes: number;
  readonly bodyBudget: ByteBudget;
  readonly bodyIdleTimeoutMs: number;
  readonly bodyReadTimeoutMs: number;
  readonly responseStallTimeoutMs: number;
  private readonly logger: Logger | undefined;
  private readonly metrics: ProxyMetrics | undefined;
  private readonly openTunnels = new Set<Duplex>();
  private running = 0;
  private idleWaiters: (() => void)[] = [];

  readonly ownAddresses: OwnAddresses;

  constructor(options: ProxyOptions) {
    const guard = new DestinationGuard(options.destinations);
    this.ownAddresses = guard.own;
    this.pools = new PoolSet(options.pool, guard);
    this.resolver = options.resolver ?? defaultResolver();
    this.random = options.random ?? Math.random;
    const idHeader = options.requestIdHeader ?? 'x-request-id';
    this.requestIdHeader = idHeader === false ? undefined : idHeader.toLowerCase();
    this.generateId = options.generateRequestId ?? randomUUID;
    this.forwarding =
      options.forwardedHeaders === false ? undefined : forwardingPolicy(options.trustedProxies);
    this.intake = intakePolicy(options);
    this.via = this.intake.via;
    this.responseVia = options.responseVia === true ? this.via : undefined;
    this.requestTimeoutMs = positive(options.timeouts?.requestMs, 'timeouts.requestMs');
    this.backendTimeoutMs = positive(
      options.timeouts?.backendRequestMs,
      'timeouts.backendRequestMs',
    );
    this.retryBufferBytes = options.retryBufferBytes ?? 64 * 1024;
    this.maxRetries = count(options.maxRetries, 5, 'maxRetries');
    this.mirrorTimeoutMs = options.mirror?.timeoutMs ?? 10_000;
    this.mirrorBufferBytes = options.mirror?.bufferBytes ?? 1024 * 1024;
    this.mirrorConcurrency = count(options.mirror?.concurrency, 64, 'mirror.concurrency');
    this.bodyBufferBytes = count(options.body?.bufferBytes, 64 * 1024, 'body.bufferBytes');
    this.bodyBudget = new ByteBudget(
      count(options.body?.bufferTotalBytes, 64 * 1024 * 1024, 'body.bufferTotalBytes'),
    );
    this.bodyIdleTimeoutMs = count(options.body?.idleTimeoutMs, 30_000, 'body.idleTimeoutMs');
    this.bodyReadTimeoutMs = count(options.body?.readTimeoutMs, 300_000, 'body.readTimeoutMs');
    this.responseStallTimeoutMs = count(
      options.response?.stallTimeoutMs,
      60_000,
      'response.stallTimeoutMs',
    );
    this.logger = options.logger === false ? undefined : options.logger;
    this.metrics = options.metrics === false ? undefined : options.metrics;
  }

  get inFlight(): number {
    return this.running;
  }

  get tunnels(): number {
    return this.openTunnels.size;
  }

  handle(
    req: ProxyRequest,
    res: ProxyResponse,
    decision: Decision,
    options?: ExchangeOptions,
  ): void {
    if (decision.kind === 'forward') {
      this.forward(req, res, decision, options);
      return;
    }
    const startedAt = performance.now();
    this.begin();
    if (decision.kind === 'redirect') {
      const headers = applyModifiers(['location', decision.location], [decision.responseHeaders]);
      sendEmpty(res, decision.status, toRecord(headers));
      this.finish(answered(req, startedAt, decision.status, decision));
      return;
    }
    if (decision.status >= 400) {
      const error = errorForStatus(decision.status, decision.reason);
      sendError(res, error);
      this.finish(answered(req, startedAt, decision.status, { ...decision, error }));
      return;
    }
    sendEmpty(res, decision.status, decision.headers ?? {});
    this.finish(answered(req, startedAt, decision.status, decision));
  }

  forward(
    req: ProxyRequest,
    res: ProxyResponse,
    decision: ForwardDecision,
    options?: ExchangeOptions,
  ): void {
    const startedAt = performance.now();
    const choice = chooseBackend(this, decision);
    if (choice.kind === 'backend') {
      new Exchange(this, req, res, decision, choice.backend, choice.origins, startedAt).start(
        options,
      );
      return;
    }
    this.begin();
    const fields = { route: decision.route, chain: decision.chain, backend: choice.backend };
    if (choice.kind === 'redirect') {
      const headers = applyModifiers(
        ['location', choice.location],
        [decision.responseHeaders, choice.backend.responseHeaders],
      );
      sendEmpty(res, choice.status, toRecord(headers));
      this.finish(answered(req, startedAt, choice.status, fields));
      return;
    }
    sendError(res, choice.error);
    this.finish(answered(req, startedAt, choice.error.status, { ...fields, error: choice.error }));
  }

  admit(req: ProxyRequest, res: ProxyResponse): boolean {
    return admit(this, this.intake, req, res);
  }

  admitUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, proceed: () => void): void {
    admitUpgrade(this, this.intake, req, socket, head, proceed);
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, decision: Decision): void {
    if (!mayTunnel(this, this.intake, req, socket, head)) return;
    proxyUpgrade(this, this.openTunnels, req, socket, head, decision, performance.now());
  }

  begin(): void {
    this.running += 1;
    this.metrics?.inFlight(1);
  }

  finish(exchange: FinishedExchange): void {
    this.running -= 1;
    const metrics = this.metrics;
    if (metrics !== undefined) {
      metrics.inFlight(-1);
      metrics.request(
        routeLabel(exchange.route),
        backendLabel(exchange.backend),
        exchange.status,
        (performance.now() - exchange.startedAt) / 1000,
      );
    }
    if (this.logger !== undefined) this.log(this.logger, exchange);
    if (this.running === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const waiter of waiters) waiter();
    }
  }

  private log(logger: Logger, exchange: FinishedExchange): void {
    const req = exchange.req;
    logAccess(logger, {
      requestId:
        exchange.requestId ??
        (this.requestIdHeader === undefined
          ? undefined
          : (req.headers[this.requestIdHeader] as string | undefined)),
      method: req.method,
      url: req.url,
      host: req.headers.host ?? (req.headers[':authority'] as string | undefined),
      status: exchange.status,
      durationMs: performance.now() - exchange.startedAt,
      chain: exchange.chain,
      backend: backendLabel(exchange.backend),
      upstream: exchange.origin,
      attempts: exchange.attempts,
      error: exchange.error?.code,
      cause: exchange.error?.cause,
    });
  }

  upstreamError(route: RouteRef | undefined, backend: BackendTarget, code: string): void {
    this.metrics?.upstreamError(routeLabel(route), backendLabel(backend), code);
  }

  idle(): Promise<void> {
    if (this.running === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close(options: { readonly force?: boolean } = {}): Promise<void> {
    for (const socket of this.openTunnels) socket.destroy();
    this.openTunnels.clear();
    await this.pools.close(options.force ?? false);
  }
}

function positive(value: number | undefined, name: string): number | undefined {
  if (value === undefined || value === 0) return undefined;
  if (!Number.isFinite(value) || value < 0) throw new InvalidOptionError(`${name} must be >= 0`);
  return value;
}

/** A non-negative option with a default. */
function count(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (Number.isNaN(value) || value < 0) {
    throw new InvalidOptionError(`${name} must be a number >= 0 (got ${value})`);
  }
  return value;
}

function toRecord(flat: readonly string[]): Record<string, string[]> {
  const record: Record<string, string[]> = {};
  for (let i = 0; i < flat.length; i += 2) (record[flat[i]!] ??= []).push(flat[i + 1]!);
  return record;
}

/**
 * Creates the proxy engine.
 *
 * @example
 * ```ts
 * import { resolve } from '@switchyard/core';
 * import { createProxy, staticResolver } from '@switchyard/node';
 * const proxy = createProxy({ resolver: staticResolver({ 'payments/bff:8080': 'http://127.0.0.1:9003' }) });
 * http.createServer((req, res) => proxy.handle(req, res, resolve(table, { method: req.method!, path: req.url!, host: req.headers.host, headers: req.headers })));
 * ```
 */
export function createProxy(options: ProxyOptions = {}): ProxyEngine {
  return new Engine(options);
}

/** For `createRequestListener`: an engine from options, or the one given. */
export function isProxyEngine(value: unknown): value is ProxyEngine {
  return value instanceof Engine;
}
