/**
 * One forwarded request: from the chosen backend to the last byte of the answer. It owns the
 * attempts (retries on listed codes, connection errors and timeouts, with backoff), the request
 * and per-attempt timers, the mirrors, and the streaming of both bodies with backpressure.
 * Each try is an `Attempt` (`attempt.ts`), the undici handler that reports back here.
 */
import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import type {
  DecisionBackend,
  ForwardDecision,
  Mirror,
  RetryPolicy,
  RouteRef,
  UpstreamTarget,
} from '@switchyard/core';
import {
  BackendProtocolError,
  BackendSaturatedError,
  BodyTimeoutError,
  ClientAbortedError,
  RequestTimeoutError,
} from '../errors.js';
import type { SwitchyardError } from '../errors.js';
import { isHttp2, remoteAddressOf, sendError, writeHead } from '../respond.js';
import type { ProxyRequest, ProxyResponse } from '../respond.js';
import { hasRequestBody, noop, teeBody } from './body.js';
import { RequestBodyReader } from './request-body.js';
import type { EngineContext, FinishedExchange } from './context.js';
import { Attempt, onAttemptTimeout, onQueueTimeout } from './attempt.js';
import { failureError, isFinal } from './failure.js';
import type { FailureKind } from './failure.js';
import { corsHeadersFor } from '../filters/cors.js';
import {
  applyModifiers,
  downstreamHeaders,
  keepViaHop,
  upstreamHeaders,
  viaHop,
} from '../headers.js';
import { armTimer } from '../timers.js';
import { backendLabel } from '../labels.js';
import { MIRROR_HEADER, chosenMirrors, sendMirror } from './mirror.js';

/** Per-call options of `forward`. */
export interface ExchangeOptions {
  /**
   * The body to send instead of reading the request stream: for frameworks whose body parser
   * already consumed it (pass the raw bytes, or a re-serialised body). `content-length` is set
   * from it.
   */
  readonly body?: Buffer | Uint8Array | string;
  /** The scheme the client used, for `X-Forwarded-Proto`; default: from the socket. */
  readonly scheme?: 'http' | 'https';
}

const NO_MIRRORS: readonly Mirror[] = [];

const PENDING = 0;
const STREAMING = 1;
const DONE = 2;

const kExchange = Symbol('switchyard.exchange');
type TaggedResponse = ProxyResponse & { [kExchange]?: Exchange };

/** Exponential backoff, capped at 8× the configured minimum. */
function backoffFor(retry: RetryPolicy, retryNumber: number): number {
  if (retry.backoffMs <= 0) return 0;
  return retry.backoffMs * Math.min(8, 2 ** (retryNumber - 1));
}

function onRequestTimeout(exchange: Exchange): void {
  exchange.requestTimedOut();
}

function onResponseStall(exchange: Exchange): void {
  exchange.responseStalled();
}

function retryNow(exchange: Exchange): void {
  exchange.dispatch();
}

function onResponseClose(this: TaggedResponse): void {
  this[kExchange]?.clientGone();
}

function onResponseDrain(this: TaggedResponse): void {
  this[kExchange]?.drained();
}

export class Exchange implements FinishedExchange {
  status = 0;
  attempts = 0;
  error: SwitchyardError | undefined;
  requestId: string | undefined;
  origin: string | undefined;
  readonly startedAt: number;
  readonly route: RouteRef;
  readonly chain: readonly RouteRef[];

  private state = PENDING;
  private attempt: Attempt | undefined;
  private body: Buffer | Readable | null = null;
  private headers: string[] = [];
  private mirrorHeaders: string[] = [];
  private requestTimer: NodeJS.Timeout | undefined;
  private backoffTimer: NodeJS.Timeout | undefined;
  private backoffImmediate: NodeJS.Immediate | undefined;
  private bodyReader: RequestBodyReader | undefined;
  private drainTimer: NodeJS.Timeout | undefined;
  private waitingDrain = false;
  private originStart = -1;
  private readonly retry: RetryPolicy | undefined;
  private readonly maxAttempts: number;
  private readonly backendTimeoutMs: number | undefined;
  private readonly upstream: UpstreamTarget;

  constructor(
    private readonly ctx: EngineContext,
    readonly req: ProxyRequest,
    private readonly res: ProxyResponse,
    private readonly decision: ForwardDecision,
    readonly backend: DecisionBackend,
    private readonly origins: readonly string[],
    startedAt: number,
  ) {
    this.startedAt = startedAt;
    this.route = decision.route;
    this.chain = decision.chain;
    this.retry = decision.retry;
    // Rule 28: a route's retries are capped by the engine's `maxRetries`.
    this.maxAttempts = 1 + Math.min(decision.retry?.attempts ?? 0, ctx.maxRetries);
    const timeout = decision.timeouts?.backendRequestMs ?? ctx.backendTimeoutMs;
    this.backendTimeoutMs = timeout !== undefined && timeout > 0 ? timeout : undefined;
    this.upstream = backend.upstream ?? decision.upstream;
  }

  start(options: ExchangeOptions | undefined): void {
    const { ctx, req, res, decision } = this;
    ctx.begin();
    (res as TaggedResponse)[kExchange] = this;
    res.on('close', onResponseClose);
    res.on('error', noop);
    req.on('error', noop);
    const requestMs = decision.timeouts?.requestMs ?? ctx.requestTimeoutMs;
    if (requestMs !== undefined && requestMs > 0) {
      this.requestTimer = armTimer(onRequestTimeout, requestMs, this);
    }
    const originalHost = req.headers.host ?? (req.headers[':authority'] as string | undefined);
    const scheme = options?.scheme ?? (isEncrypted(req) ? 'https' : 'http');
    let base = upstreamHeaders(
      req.rawHeaders,
      req.httpVersionMajor === 2 ? undefined : req.headers.connection,
      {
        host: this.upstream.host ?? originalHost,
        originalHost,
        remoteAddress: remoteAddressOf(req),
        proto: scheme,
        port: (req.socket as { localPort?: number } | undefined)?.localPort,
        forwarding: ctx.forwarding,
        via: ctx.via,
        httpVersion: req.httpVersion,
        requestIdHeader: ctx.requestIdHeader,
      },
      this,
      ctx.generateId,
    );
    let explicit: Buffer | undefined;
    if (options?.body !== undefined) {
      explicit =
        typeof options.body === 'string' ? Buffer.from(options.body) : Buffer.from(options.body);
      base = withContentLength(base, explicit.length);
    }
    // Copies and forwarded requests alike keep this gateway's Via hop (decision 21).
    const hop = viaHop({ via: ctx.via, httpVersion: req.httpVersion });
    this.headers = keepViaHop(
      applyModifiers(base, [decision.requestHeaders, this.backend.requestHeaders]),
      hop,
    );
    const mirrors =
      decision.mirrors.length === 0
        ? NO_MIRRORS
        : chosenMirrors(ctx, decision.mirrors, req.headers[MIRROR_HEADER] !== undefined);
    if (mirrors.length > 0) {
      this.mirrorHeaders = keepViaHop(applyModifiers(base, [decision.requestHeaders]), hop);
    }
    if (explicit !== undefined) {
      this.body = explicit;
      this.sendMirrors(mirrors, explicit);
      this.dispatch();
      return;
    }
    if (!hasRequestBody(req)) {
      this.sendMirrors(mirrors, null);
      this.dispatch();
      return;
    }
    this.readBody(mirrors);
  }

  /** Reads the body (`request-body.ts`), then sends mirrors and the first attempt. */
  private readBody(mirrors: readonly Mirror[]): void {
    const reader = new RequestBodyReader(this.ctx, this.req, this);
    this.bodyReader = reader;
    reader.read(this.retry !== undefined).then(
      (body) => {
        if (this.state !== PENDING) return;
        if (Buffer.isBuffer(body)) {
          this.body = body;
          this.sendMirrors(mirrors, body);
        } else {
          // Streamed through a copy, so that aborting the backend request never destroys the
          // client's own stream (and with it the socket the 408 or 5xx must go out on).
          const { primary, copies } = teeBody(this.req, mirrors.length, this.ctx.mirrorBufferBytes);
          this.body = primary;
          if (mirrors.length > 0) this.sendMirrors(mirrors, copies);
        }
        this.dispatch();
      },
      () => this.clientGone(),
    );
  }

  /** The client stopped sending its body (or took too long): 408, backend request aborted. */
  bodyTimedOut(): void {
    if (this.state === DONE || this.req.complete) return;
    const error = new BodyTimeoutError();
    this.attempt?.cancel(error);
    // The rest of the body will not be read: the connection cannot carry another request.
    if (!isHttp2(this.res)) (this.res as ServerResponse).shouldKeepAlive = false;
    if (this.state === STREAMING) {
      this.res.destroy();
      this.done(this.status, error);
    } else {
      this.fail(error);
    }
  }

  /** Fires the chosen mirrors; `bodies` is one body for all, or one stream copy per mirror. */
  private sendMirrors(
    mirrors: readonly Mirror[],
    bodies: Buffer | null | readonly Readable[],
  ): void {
    for (let index = 0; index < mirrors.length; index++) {
      const body = bodies === null || Buffer.isBuffer(bodies) ? bodies : (bodies[index] ?? null);
      sendMirror(
        this.ctx,
        this.route,
        mirrors[index]!,
        this.req.method ?? 'GET',
        this.decision.upstream.path,
        this.mirrorHeaders,
        body,
      );
    }
  }

  /** Sends the next attempt. */
  dispatch(): void {
    if (this.state !== PENDING) return;
    this.backoffTimer = undefined;
    this.backoffImmediate = undefined;
    const origins = this.origins;
    // Several endpoints: start at a random one, and move on to the next for each retry.
    if (origins.length > 1 && this.originStart < 0) {
      this.originStart = Math.floor(this.ctx.random() * origins.length);
    }
    const origin =
      origins.length === 1
        ? origins[0]!
        : origins[(this.originStart + this.attempts) % origins.length]!;
    this.attempts += 1;
    this.origin = origin;
    const attempt = new Attempt(this, origin);
    this.attempt = attempt;
    const h2c = this.backend.appProtocol === 'kubernetes.io/h2c';
    // Rule 28: a bounded place in the backend's pool, and a bounded wait for a connection.
    const pools = this.ctx.pools;
    const streaming = this.body !== null && !Buffer.isBuffer(this.body);
    const admission = pools.admit(origin, h2c, streaming);
    attempt.admission = admission;
    if (admission === undefined) {
      attempt.stale = true;
      const full = streaming
        ? 'backend saturated: no place for another streamed request body'
        : 'backend saturated: every connection busy and the queue full';
      this.attemptFailed(attempt, 'saturated', new BackendSaturatedError(full));
      return;
    }
    // Only a request that found every connection busy can wait for one.
    if (admission.queued && pools.queueTimeoutMs > 0) {
      attempt.queueTimer = armTimer(onQueueTimeout, pools.queueTimeoutMs, attempt);
    }
    if (this.backendTimeoutMs !== undefined) {
      attempt.timer = armTimer(onAttemptTimeout, this.backendTimeoutMs, attempt);
    }
    try {
      this.ctx.pools.get(origin, h2c).dispatch(
        {
          path: this.upstream.path,
          method: (this.req.method ?? 'GET') as Dispatcher.HttpMethod,
          headers: this.headers,
          body: this.body,
        },
        attempt,
      );
    } catch (error) {
      attempt.onError(error as Error);
    }
  }

  onHeaders(attempt: Attempt, status: number, raw: Buffer[], resume: () => void): boolean {
    if (this.state !== PENDING) {
      attempt.cancel(new ClientAbortedError());
      return true;
    }
    if (status < 200) return true;
    const retry = this.retry;
    if (retry !== undefined && retry.codes.includes(status) && this.canRetry()) {
      attempt.discarding = true;
      this.ctx.upstreamError(this.route, this.backend, `status_${status}`);
      return true;
    }
    const decision = this.decision;
    let flat = applyModifiers(
      downstreamHeaders(raw),
      [decision.responseHeaders, this.backend.responseHeaders],
      corsHeadersFor(decision, this.req.headers.origin),
    );
    // Backends are reached over HTTP/1.1: that is the protocol this hop received the answer in.
    const responseVia = this.ctx.responseVia;
    if (responseVia !== undefined) flat = keepViaHop(flat, `1.1 ${responseVia}`);
    try {
      writeHead(this.res, status, flat);
    } catch (error) {
      attempt.cancel(error as Error);
      this.fail(new BackendProtocolError('invalid backend response headers', { cause: error }));
      return true;
    }
    this.state = STREAMING;
    this.status = status;
    attempt.resumeFn = resume;
    return true;
  }

  onData(chunk: Buffer): boolean {
    // Both response kinds take a Buffer; the union's overloads just do not line up for tsc.
    if ((this.res as { write(chunk: Buffer): boolean }).write(chunk)) return true;
    if (!this.waitingDrain) {
      this.waitingDrain = true;
      this.res.once('drain', onResponseDrain);
      // Rule 28: a client that stops reading would hold the backend connection (paused by
      // backpressure) for as long as it likes.
      if (this.ctx.responseStallTimeoutMs > 0) {
        this.drainTimer = armTimer(onResponseStall, this.ctx.responseStallTimeoutMs, this);
      }
    }
    return false;
  }

  drained(): void {
    this.waitingDrain = false;
    if (this.drainTimer !== undefined) clearTimeout(this.drainTimer);
    this.drainTimer = undefined;
    this.attempt?.resumeFn?.();
  }

  /** The client read nothing for `response.stallTimeoutMs`: cut both sides. */
  responseStalled(): void {
    this.drainTimer = undefined;
    if (this.state === DONE) return;
    const error = new ClientAbortedError('client stopped reading the response');
    this.attempt?.cancel(error);
    this.res.destroy();
    this.done(499, error);
  }

  onComplete(attempt: Attempt): void {
    if (attempt.discarding) {
      if (this.state === PENDING) this.retryLater();
      return;
    }
    if (this.state !== STREAMING) return;
    this.res.end();
    this.done(this.status, undefined);
  }

  attemptFailed(attempt: Attempt, kind: FailureKind, cause: unknown): void {
    attempt.stale = true;
    if (this.state === DONE) return;
    if (kind === 'saturated') {
      // Load, not a broken backend: answered at once, whatever the retry policy says.
      this.ctx.upstreamError(this.route, this.backend, kind);
      this.fail(failureError(kind, false, cause));
      return;
    }
    if (responseGone(this.res) || (!this.req.complete && this.req.destroyed)) {
      this.clientGone();
      return;
    }
    this.ctx.upstreamError(this.route, this.backend, kind);
    if (this.state === STREAMING) {
      // The status line is out: the only honest signal left is a truncated answer.
      this.res.destroy();
      this.done(this.status, failureError(kind, false, cause));
      return;
    }
    if (this.retry !== undefined && !isFinal(kind) && this.canRetry()) {
      this.retryLater();
      return;
    }
    this.fail(failureError(kind, this.retry !== undefined, cause));
  }

  requestTimedOut(): void {
    this.requestTimer = undefined;
    if (this.state === DONE) return;
    const error = new RequestTimeoutError();
    this.attempt?.cancel(error);
    if (this.state === STREAMING) {
      this.res.destroy();
      this.done(this.status, error);
    } else {
      this.fail(error);
    }
  }

  clientGone(): void {
    if (this.state === DONE) return;
    this.attempt?.cancel(new ClientAbortedError());
    if (!responseGone(this.res)) this.res.destroy();
    this.done(499, new ClientAbortedError());
  }

  private canRetry(): boolean {
    return (
      this.state === PENDING &&
      this.attempts < this.maxAttempts &&
      (this.body === null || Buffer.isBuffer(this.body))
    );
  }

  private retryLater(): void {
    this.attempt = undefined;
    const delay = backoffFor(this.retry!, this.attempts);
    if (delay === 0) this.backoffImmediate = setImmediate(retryNow, this);
    else this.backoffTimer = armTimer(retryNow, delay, this);
  }

  private fail(error: SwitchyardError): void {
    error.backend ??= backendLabel(this.backend);
    sendError(this.res, error);
    this.done(error.status, error);
  }

  private done(status: number, error: SwitchyardError | undefined): void {
    if (this.state === DONE) return;
    this.state = DONE;
    this.status = status;
    this.error = error;
    if (this.requestTimer !== undefined) clearTimeout(this.requestTimer);
    if (this.backoffTimer !== undefined) clearTimeout(this.backoffTimer);
    if (this.backoffImmediate !== undefined) clearImmediate(this.backoffImmediate);
    if (this.attempt?.timer !== undefined) clearTimeout(this.attempt.timer);
    this.bodyReader?.end();
    if (this.drainTimer !== undefined) clearTimeout(this.drainTimer);
    this.ctx.finish(this);
  }
}

function responseGone(res: ProxyResponse): boolean {
  return isHttp2(res) ? res.stream.destroyed : res.destroyed;
}

function isEncrypted(req: ProxyRequest): boolean {
  return (req.socket as { encrypted?: boolean } | undefined)?.encrypted === true;
}

function withContentLength(flat: string[], length: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < flat.length; i += 2) {
    if (flat[i]!.toLowerCase() !== 'content-length') out.push(flat[i]!, flat[i + 1]!);
  }
  out.push('content-length', String(length));
  return out;
}
