/**
 * The undici handler of one backend attempt. It uses the handler interface undici's own
 * `stream()` runs on (`onConnect`, `onHeaders`, `onData`, `onComplete`, `onError`): raw header
 * buffers and a boolean for backpressure, no wrapper objects per request. A superseded attempt
 * (timed out, client gone, answer finished) is marked stale and its callbacks are ignored, so
 * late events of an old try can never touch the exchange.
 */
import type { Dispatcher } from 'undici';
import { BackendTimeoutError, ClientAbortedError } from '../errors.js';
import type { Exchange } from './exchange.js';
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

  constructor(
    readonly exchange: Exchange,
    readonly origin: string,
  ) {}

  cancel(reason: Error): void {
    this.stale = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.abortFn?.(reason);
  }

  onConnect(abort: (reason?: Error) => void): void {
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
    if (!this.stale) this.exchange.onComplete(this);
  }

  onError(error: Error): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (!this.stale) this.exchange.attemptFailed(this, classifyFailure(error), error);
  }
}

export function onAttemptTimeout(attempt: Attempt): void {
  if (attempt.stale) return;
  const error = new BackendTimeoutError('backend request timeout');
  attempt.cancel(error);
  attempt.exchange.attemptFailed(attempt, 'timeout', error);
}
