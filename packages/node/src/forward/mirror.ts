/**
 * RequestMirror: fire-and-forget copies. A mirror's answer is read and thrown away; its failures
 * are counted and otherwise ignored; it has its own short timeout. Nothing the mirror does can
 * delay or fail the primary request.
 */
import type { Dispatcher } from 'undici';
import type { Mirror, RouteRef } from '@switchyard/core';
import type { Readable } from 'node:stream';
import type { EngineContext } from './context.js';
import { classifyFailure } from './failure.js';
import { clampDelay } from '../timers.js';

class MirrorHandler implements Dispatcher.DispatchHandler {
  constructor(
    private readonly ctx: EngineContext,
    private readonly route: RouteRef | undefined,
    private readonly mirror: Mirror,
  ) {}
  onConnect(): void {}
  onHeaders(): boolean {
    return true;
  }
  onData(): boolean {
    return true;
  }
  onComplete(): void {}
  onError(error: Error): void {
    this.ctx.upstreamError(this.route, this.mirror.backend, `mirror_${classifyFailure(error)}`);
  }
}

/** The mirrors that fire for this request, each by its own share (`percent`). */
export function chosenMirrors(ctx: EngineContext, mirrors: readonly Mirror[]): Mirror[] {
  const chosen: Mirror[] = [];
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
  let address;
  try {
    address = ctx.resolver.resolve(mirror.backend);
  } catch {
    address = undefined;
  }
  if (address === undefined || !('origins' in address) || address.origins.length === 0) {
    if (body !== null && !Buffer.isBuffer(body)) body.destroy();
    ctx.upstreamError(route, mirror.backend, 'mirror_no_endpoints');
    return;
  }
  const origins = address.origins;
  const origin =
    origins.length === 1 ? origins[0]! : origins[Math.floor(ctx.random() * origins.length)]!;
  const pool = ctx.pools.get(origin, false);
  try {
    pool.dispatch(
      {
        path,
        method: method as Dispatcher.HttpMethod,
        headers,
        body,
        headersTimeout: clampDelay(ctx.mirrorTimeoutMs),
        bodyTimeout: clampDelay(ctx.mirrorTimeoutMs),
      },
      new MirrorHandler(ctx, route, mirror),
    );
  } catch (error) {
    ctx.upstreamError(route, mirror.backend, `mirror_${classifyFailure(error)}`);
  }
}
