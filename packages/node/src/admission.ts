/**
 * Where intake meets the engine: a request (or an upgrade) is admitted before anything resolves
 * it, and a refusal is answered with its code and recorded like any other answer (metrics, access
 * log). The checks themselves are `intake.ts`; the ordering behind pipelined answers is
 * `pipeline.ts`.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { performance } from 'node:perf_hooks';
import type { SwitchyardError } from './errors.js';
import { answered } from './forward/context.js';
import type { EngineContext } from './forward/context.js';
import { admitRequest, upgradeVerdict } from './intake.js';
import type { IntakePolicy } from './intake.js';
import { whenIdle } from './pipeline.js';
import { serveAsPlainHttp } from './replay.js';
import { isHttp2, sendError } from './respond.js';
import type { ProxyRequest, ProxyResponse } from './respond.js';
import { writeRawError } from './upgrade.js';

const noop = (): void => undefined;

/** True when `req` may be resolved; otherwise it has been answered and the connection closes. */
export function admit(
  ctx: EngineContext,
  intake: IntakePolicy,
  req: ProxyRequest,
  res: ProxyResponse,
): boolean {
  const refused = admitRequest(req, intake);
  if (refused === undefined) return true;
  // What follows on this connection came from a client that just broke the rules: close it.
  if (!isHttp2(res)) res.shouldKeepAlive = false;
  const startedAt = performance.now();
  ctx.begin();
  sendError(res, refused);
  ctx.finish(answered(req, startedAt, refused.status, { error: refused }));
  return false;
}

/**
 * Once every answer due before it on the connection is written: calls `proceed` for an upgrade
 * to tunnel, serves any other upgrade as plain HTTP, or answers the refusal (decision 17).
 */
export function admitUpgrade(
  ctx: EngineContext,
  intake: IntakePolicy,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  proceed: () => void,
): void {
  socket.on('error', noop);
  whenIdle(socket, () => {
    const verdict = upgradeVerdict(req, intake);
    if (verdict.kind === 'plain') {
      serveAsPlainHttp(req, socket, head);
      return;
    }
    const refused = verdict.kind === 'refuse' ? verdict.error : admitRequest(req, intake);
    if (refused !== undefined) {
      refuseRaw(ctx, req, socket, refused);
      return;
    }
    proceed();
  });
}

/**
 * The engine's own check before tunnelling (for callers of `upgrade` that skipped
 * `admitUpgrade`): true when the upgrade is to be tunnelled, with `Upgrade` narrowed to the
 * allowed protocols; otherwise it has been served or answered.
 */
export function mayTunnel(
  ctx: EngineContext,
  intake: IntakePolicy,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): boolean {
  const verdict = upgradeVerdict(req, intake);
  if (verdict.kind === 'refuse') {
    refuseRaw(ctx, req, socket, verdict.error);
    return false;
  }
  if (verdict.kind === 'plain') {
    serveAsPlainHttp(req, socket, head);
    return false;
  }
  req.headers.upgrade = verdict.protocol;
  return true;
}

function refuseRaw(
  ctx: EngineContext,
  req: IncomingMessage,
  socket: Duplex,
  error: SwitchyardError,
): void {
  const startedAt = performance.now();
  ctx.begin();
  writeRawError(socket, error);
  ctx.finish(answered(req, startedAt, error.status, { error }));
}
