/**
 * RequestMirror: fire-and-forget copies. A mirror's answer is read and thrown away; its failures
 * are counted and otherwise ignored. Nothing the mirror does can delay or fail the primary
 * request, and (rule 28) mirrors cannot multiply traffic: each mirror backend has a bound on
 * copies in flight (more are dropped and counted), a copy lives at most `mirror.timeoutMs` from
 * dispatch to its last byte. Two guards keep copies from looping between gateways:
 * - a copy carries `x-switchyard-mirror`: a Switchyard gateway receiving it fires no mirrors for
 *   it. One hop only: that gateway forwards the copy without the marker (`x-switchyard-*` never
 *   leaves a gateway), and a client may send the marker too (it only loses its own copies);
 * - a copy carries this gateway's `Via` hop like any forwarded request (`keepViaHop`: a route's
 *   modifier cannot take it off), so a copy that comes back to this gateway by any path, through
 *   any number of gateways, answers 508 SWY_VIA_LOOP at intake (decision 21).
 * A mirror that resolves to this gateway's own addresses is refused before it is sent
 * (SWY_SELF_TARGET, `destinations/`).
 */
import type { Dispatcher } from 'undici';
import type { Mirror, RouteRef } from '@switchyard/core';
import type { Readable } from 'node:stream';
import type { EngineContext } from './context.js';
import type { Admission } from './pools.js';
import { classifyFailure } from './failure.js';
import { backendLabel } from '../labels.js';
import { armTimer, clampDelay } from '../timers.js';

/** Marks a mirrored copy; a request carrying it fires no mirrors. */
export const MIRROR_HEADER = 'x-switchyard-mirror';

/** Mirrored requests in flight per mirror backend (`namespace/name:port`). */
export class MirrorLoad {
  private readonly inFlight = new Map<string, number>();

  /** Takes a place for `key` when fewer than `limit` are in flight. */
  take(key: string, limit: number): boolean {
    const count = this.inFlight.get(key) ?? 0;
    if (count >= limit) return false;
    this.inFlight.set(key, count + 1);
    return true;
  }

  give(key: string): void {
    const left = (this.inFlight.get(key) ?? 1) - 1;
    if (left <= 0) this.inFlight.delete(key);
    else this.inFlight.set(key, left);
  }
}

function onMirrorLifetime(handler: MirrorHandler): void {
  handler.expire();
}

class MirrorHandler implements Dispatcher.DispatchHandler {
  private abortFn: ((reason?: Error) => void) | undefined;
  private expired = false;
  private settled = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly ctx: EngineContext,
    private readonly route: RouteRef | undefined,
    private readonly mirror: Mirror,
    private readonly key: string,
    private readonly admission: Admission,
  ) {
    this.timer = armTimer(onMirrorLifetime, ctx.mirrorTimeoutMs, this);
  }

  /** The copy outlived `mirror.timeoutMs`: cut it, queued or connected. */
  expire(): void {
    this.expired = true;
    this.abortFn?.(new Error('mirror lifetime exceeded'));
  }

  onConnect(abort: (reason?: Error) => void): void {
    if (this.expired) abort(new Error('mirror lifetime exceeded'));
    else this.abortFn = abort;
  }
  onHeaders(): boolean {
    return true;
  }
  onData(): boolean {
    return true;
  }
  onComplete(): void {
    this.settle();
  }
  onError(error: Error): void {
    const kind = this.expired ? 'timeout' : classifyFailure(error);
    this.ctx.upstreamError(this.route, this.mirror.backend, `mirror_${kind}`);
    this.settle();
  }

  private settle(): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.admission.release();
    this.ctx.mirrorLoad.give(this.key);
  }
}

/**
 * The mirrors that fire for this request, each by its own share (`percent`); none for a request
 * that is itself a mirrored copy.
 */
export function chosenMirrors(
  ctx: EngineContext,
  mirrors: readonly Mirror[],
  mirrored: boolean,
): Mirror[] {
  const chosen: Mirror[] = [];
  if (mirrored) return chosen;
  for (const mirror of mirrors) {
    if (mirror.percent >= 100 || (mirror.percent > 0 && ctx.random() * 100 < mirror.percent)) {
      chosen.push(mirror);
    }
  }
  return chosen;
}

/** Sends one copy. `body` is null, the buffered body, or this mirror's own copy of the stream. */
export function sendMirror(
  ctx: EngineContext,
  route: RouteRef | undefined,
  mirror: Mirror,
  method: string,
  path: string,
  headers: string[],
  body: Buffer | Readable | null,
): void {
  const drop = (code: string): void => {
    if (body !== null && !Buffer.isBuffer(body)) body.destroy();
    ctx.upstreamError(route, mirror.backend, code);
  };
  let address;
  try {
    address = ctx.resolver.resolve(mirror.backend);
  } catch {
    address = undefined;
  }
  if (address === undefined || !('origins' in address) || address.origins.length === 0) {
    drop('mirror_no_endpoints');
    return;
  }
  const key = backendLabel(mirror.backend);
  if (!ctx.mirrorLoad.take(key, ctx.mirrorConcurrency)) {
    drop('mirror_dropped');
    return;
  }
  const origins = address.origins;
  const origin =
    origins.length === 1 ? origins[0]! : origins[Math.floor(ctx.random() * origins.length)]!;
  // A mirror never takes the last places of a backend's pool from the requests it serves.
  const admission = ctx.pools.admit(origin, false, body !== null && !Buffer.isBuffer(body));
  if (admission === undefined) {
    ctx.mirrorLoad.give(key);
    drop('mirror_dropped');
    return;
  }
  const handler = new MirrorHandler(ctx, route, mirror, key, admission);
  try {
    ctx.pools.get(origin, false).dispatch(
      {
        path,
        method: method as Dispatcher.HttpMethod,
        headers: [...headers, MIRROR_HEADER, '1'],
        body,
        headersTimeout: clampDelay(ctx.mirrorTimeoutMs),
        bodyTimeout: clampDelay(ctx.mirrorTimeoutMs),
      },
      handler,
    );
  } catch (error) {
    handler.onError(error as Error);
  }
}
