/**
 * The undici handler of one backend attempt. It uses the handler interface undici's own
 * `stream()` runs on (`onConnect`, `onHeaders`, `onData`, `onComplete`, `onError`): raw header
 * buffers and a boolean for backpressure, no wrapper objects per request. A superseded attempt
 * (timed out, client gone, answer finished) is marked stale and its callbacks are ignored, so
 * late events of an old try can never touch the exchange.
 */
import type { Dispatcher } from 'undici';
import { BackendSaturatedError, BackendTimeoutError, ClientAbortedError } from '../errors.js';
import type { Exchange } from './exchange.js';
import type { Admission } from './pools.js';
import { classifyFailure } from './failure.js';

/** The handler of one try. */
export class Attempt implements Dispatcher.DispatchHandler {
  abortFn: ((reason?: Error) => void) | undefined;
  resumeFn: (() => void) | undefined;
  /** Superseded (timed out, client gone, request finished): every callback is ignored. */
  stale = false;
  /** Reading an answer with a retryable status, to throw it away and try again. */
  discarding = false;
  timer: NodeJS.Timeout | undefined;
  /** Armed while the request waits for a pooled connection (`pool.queueTimeoutMs`). */
  queueTimer: NodeJS.Timeout | undefined;
  /** The pool place (`PoolSet.admit`), given back once undici settles the request. */
  admission: Admission | undefined;

  constructor(
    readonly exchange: Exchange,
    readonly origin: string,
  ) {}

  cancel(reason: Error): void {
    this.stale = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.clearQueueTimer();
    this.abortFn?.(reason);
  }

  onConnect(abort: (reason?: Error) => void): void {
    this.clearQueueTimer();
    if (this.stale) abort(new ClientAbortedError('superseded'));
    else this.abortFn = abort;
  }

  onHeaders(status: number, raw: Buffer[], resume: () => void): boolean {
    if (this.stale) return true;
    return this.exchange.onHeaders(this, status, raw, resume);
  }

  onData(chunk: Buffer): boolean {
    if (this.stale || this.discarding) return true;
    return this.exchange.onData(chunk);
  }

  onComplete(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.admission?.release();
    if (!this.stale) this.exchange.onComplete(this);
  }

  onError(error: Error): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.clearQueueTimer();
    this.admission?.release();
    if (!this.stale) this.exchange.attemptFailed(this, classifyFailure(error), error);
  }

  private clearQueueTimer(): void {
    if (this.queueTimer === undefined) return;
    clearTimeout(this.queueTimer);
    this.queueTimer = undefined;
  }
}

/**
 * The request waited `pool.queueTimeoutMs` without a connection: the exchange fails with 503.
 * The queued undici request stays stale and is aborted as soon as a connection takes it.
 */
export function onQueueTimeout(attempt: Attempt): void {
  attempt.queueTimer = undefined;
  if (attempt.stale) return;
  const error = new BackendSaturatedError(
    'backend saturated: no connection within the queue timeout',
  );
  attempt.stale = true;
  if (attempt.timer !== undefined) clearTimeout(attempt.timer);
  attempt.exchange.attemptFailed(attempt, 'saturated', error);
}

export function onAttemptTimeout(attempt: Attempt): void {
  if (attempt.stale) return;
  const error = new BackendTimeoutError('backend request timeout');
  attempt.cancel(error);
  attempt.exchange.attemptFailed(attempt, 'timeout', error);
}
