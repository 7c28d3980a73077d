/**
 * Rule 28 for request bodies: how one exchange reads its client's body. A body that fits in
 * `body.bufferBytes` (and in what is left of `body.bufferTotalBytes`) is read before a backend
 * connection is taken, so a slow client never holds one, and a retry can replay it; a larger one
 * is streamed. Either way the client must keep sending: `body.idleTimeoutMs` without a byte, or
 * `body.readTimeoutMs` for the whole body, and the exchange is told (it answers 408).
 */
import type { Readable } from 'node:stream';
import type { EngineContext } from './context.js';
import { gatherBody } from './body.js';
import { armTimer } from '../timers.js';

/** What the reader reports to: the exchange. */
export interface BodyTimeoutTarget {
  bodyTimedOut(): void;
}

function onTimeout(reader: RequestBodyReader): void {
  reader.stop();
  reader.target.bodyTimedOut();
}

export class RequestBodyReader {
  private idleTimer: NodeJS.Timeout | undefined;
  private readTimer: NodeJS.Timeout | undefined;
  /** Bytes of `body.bufferTotalBytes` held while the body is read first. */
  private reserved = 0;

  constructor(
    private readonly ctx: EngineContext,
    private readonly req: Readable,
    readonly target: BodyTimeoutTarget,
  ) {}

  /**
   * Arms the timers and reads: resolves with the whole body (a Buffer), or with the request
   * stream, paused, once the body outgrows the buffer; rejects when the client aborts.
   * `replayable` raises the buffer to `retryBufferBytes` when that is larger.
   */
  read(replayable: boolean): Promise<Buffer | Readable> {
    const { ctx, req } = this;
    req.pause();
    if (ctx.bodyIdleTimeoutMs > 0) {
      const idle = armTimer(onTimeout, ctx.bodyIdleTimeoutMs, this);
      this.idleTimer = idle;
      req.on('data', () => idle.refresh());
    }
    if (ctx.bodyReadTimeoutMs > 0)
      this.readTimer = armTimer(onTimeout, ctx.bodyReadTimeoutMs, this);
    req.once('end', () => this.stop());
    const limit = replayable
      ? Math.max(ctx.bodyBufferBytes, ctx.retryBufferBytes)
      : ctx.bodyBufferBytes;
    // Past the memory budget, the body is streamed rather than read first.
    this.reserved = limit > 0 && ctx.bodyBudget.reserve(limit) ? limit : 0;
    if (this.reserved === 0) return Promise.resolve(req);
    return gatherBody(req, limit).then((body) => {
      // Streaming from here: the bytes move under backpressure, not in this buffer.
      if (!Buffer.isBuffer(body)) this.freeReserved();
      return body;
    });
  }

  /** The body has arrived, or the exchange is over: timers off (the budget stays until `end`). */
  stop(): void {
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    if (this.readTimer !== undefined) clearTimeout(this.readTimer);
    this.idleTimer = undefined;
    this.readTimer = undefined;
  }

  /** The exchange is over: timers off and the buffered bytes given back to the budget. */
  end(): void {
    this.stop();
    this.freeReserved();
  }

  private freeReserved(): void {
    if (this.reserved === 0) return;
    this.ctx.bodyBudget.free(this.reserved);
    this.reserved = 0;
  }
}
