/**
 * WebSocket (and any HTTP/1.1 `Upgrade`) through the proxy: the handshake goes to the chosen
 * backend with the route's request headers; on `101` the two sockets are joined; any other answer
 * is relayed as is. Tunnels are tracked so that shutdown can close them.
 */
import { STATUS_CODES } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { Decision, DecisionBackend, ForwardDecision } from '@switchyard/core';
import { UpgradeFailedError, errorForStatus } from './errors.js';
import type { SwitchyardError } from './errors.js';
import { noop } from './forward/body.js';
import { chooseBackend } from './forward/choose.js';
import { answered } from './forward/context.js';
import type { EngineContext } from './forward/context.js';
import { classifyFailure, failureError } from './forward/failure.js';
import {
  applyModifiers,
  downstreamHeaders,
  keepViaHop,
  upstreamHeaders,
  viaHop,
} from './headers.js';
import { ERROR_HEADER, remoteAddressOf } from './respond.js';

/** Writes a complete HTTP/1.1 answer on a raw socket and closes it. */
export function writeRawResponse(
  socket: Duplex,
  status: number,
  flat: readonly string[],
  body: Buffer | string = '',
): void {
  if (socket.destroyed) return;
  const payload = typeof body === 'string' ? Buffer.from(body) : body;
  let head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n`;
  for (let i = 0; i < flat.length; i += 2) {
    const lower = flat[i]!.toLowerCase();
    if (lower === 'content-length' || lower === 'connection') continue;
    head += `${flat[i]}: ${flat[i + 1]}\r\n`;
  }
  head += `content-length: ${payload.length}\r\nconnection: close\r\n\r\n`;
  socket.end(Buffer.concat([Buffer.from(head, 'latin1'), payload]));
}

/** A gateway error on a raw socket (status, code header, one-line body), then close. */
export function writeRawError(socket: Duplex, error: SwitchyardError): void {
  writeRawResponse(
    socket,
    error.status,
    ['content-type', 'text/plain; charset=utf-8', ERROR_HEADER, error.code],
    `${error.message}\n`,
  );
}

/** The handler of one upgrade handshake. */
class UpgradeHandler implements Dispatcher.DispatchHandler {
  private abortFn: ((reason?: Error) => void) | undefined;
  private relayStatus = 0;
  private relayHeaders: string[] = [];
  private readonly relayBody: Buffer[] = [];
  private settled = false;

  constructor(
    private readonly ctx: EngineContext,
    private readonly tunnels: Set<Duplex>,
    private readonly req: IncomingMessage,
    private readonly socket: Duplex,
    private readonly head: Buffer,
    private readonly decision: ForwardDecision,
    private readonly backend: DecisionBackend,
    private readonly origin: string,
    private readonly startedAt: number,
    private readonly requestId: string | undefined,
  ) {
    socket.once('close', () => {
      if (!this.settled) this.abortFn?.(new UpgradeFailedError('client closed the connection'));
    });
  }

  onConnect(abort: (reason?: Error) => void): void {
    if (this.socket.destroyed) abort(new UpgradeFailedError('client closed the connection'));
    else this.abortFn = abort;
  }

  onUpgrade(status: number, raw: Buffer[] | string[] | null, upstream: Duplex): void {
    this.settled = true;
    const client = this.socket;
    if (client.destroyed) {
      upstream.destroy();
      return;
    }
    const flat = this.responseHeaders(raw ?? [], true);
    let head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Switching Protocols'}\r\n`;
    for (let i = 0; i < flat.length; i += 2) head += `${flat[i]}: ${flat[i + 1]}\r\n`;
    client.write(`${head}\r\n`, 'latin1');
    if (this.head.length > 0) upstream.write(this.head);
    const tunnels = this.tunnels;
    tunnels.add(client);
    const close = (): void => {
      tunnels.delete(client);
      client.destroy();
      upstream.destroy();
    };
    upstream.on('error', close).on('close', close);
    client.on('error', close).on('close', close);
    upstream.pipe(client);
    client.pipe(upstream);
    this.record(status, undefined);
  }

  onHeaders(status: number, raw: Buffer[]): boolean {
    this.relayStatus = status;
    this.relayHeaders = this.responseHeaders(raw, false);
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.relayBody.push(chunk);
    return true;
  }

  onComplete(): void {
    this.settled = true;
    // The backend declined the upgrade: its answer goes back to the client as is.
    writeRawResponse(
      this.socket,
      this.relayStatus,
      this.relayHeaders,
      Buffer.concat(this.relayBody),
    );
    this.record(this.relayStatus, undefined);
  }

  onError(error: Error): void {
    if (this.settled) return;
    this.settled = true;
    const kind = classifyFailure(error);
    this.ctx.upstreamError(this.decision.route, this.backend, kind);
    const failure =
      kind === 'protocol'
        ? new UpgradeFailedError('backend refused the upgrade', { cause: error })
        : failureError(kind, false, error);
    writeRawError(this.socket, failure);
    this.record(failure.status, failure);
  }

  private responseHeaders(raw: readonly (Buffer | string)[], upgrade: boolean): string[] {
    const flat = downstreamHeaders(raw);
    if (upgrade) {
      // The 101's own connection headers are what make it a switch: keep them.
      flat.push('connection', 'Upgrade', 'upgrade', headerText(raw, 'upgrade') ?? 'websocket');
    }
    return applyModifiers(flat, [this.decision.responseHeaders, this.backend.responseHeaders]);
  }

  private record(status: number, error: SwitchyardError | undefined): void {
    this.ctx.finish(
      answered(this.req, this.startedAt, status, {
        route: this.decision.route,
        chain: this.decision.chain,
        backend: this.backend,
        origin: this.origin,
        attempts: 1,
        error,
        requestId: this.requestId,
      }),
    );
  }
}

function headerText(raw: readonly (Buffer | string)[], name: string): string | undefined {
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]!.toString().toLowerCase() === name) return raw[i + 1]!.toString();
  }
  return undefined;
}

/**
 * Carries one `upgrade` event: answers by itself for non-forward decisions, else hands the
 * handshake to the chosen backend.
 */
export function proxyUpgrade(
  ctx: EngineContext,
  tunnels: Set<Duplex>,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  decision: Decision,
  startedAt: number,
): void {
  socket.on('error', noop);
  ctx.begin();
  const finish = (
    status: number,
    error: SwitchyardError | undefined,
    backend?: DecisionBackend,
  ): void => {
    ctx.finish(
      answered(req, startedAt, status, {
        route: decision.kind === 'respond' ? decision.route : decision.route,
        chain: decision.chain,
        backend,
        error,
      }),
    );
  };
  if (decision.kind === 'respond') {
    const error =
      decision.status >= 400 ? errorForStatus(decision.status, decision.reason) : undefined;
    if (error !== undefined) writeRawError(socket, error);
    else writeRawResponse(socket, decision.status, flatten(decision.headers ?? {}));
    finish(decision.status, error);
    return;
  }
  if (decision.kind === 'redirect') {
    const flat = applyModifiers(['location', decision.location], [decision.responseHeaders]);
    writeRawResponse(socket, decision.status, flat);
    finish(decision.status, undefined);
    return;
  }
  const choice = chooseBackend(ctx, decision);
  if (choice.kind === 'error') {
    writeRawError(socket, choice.error);
    finish(choice.error.status, choice.error, choice.backend);
    return;
  }
  if (choice.kind === 'redirect') {
    writeRawResponse(socket, choice.status, ['location', choice.location]);
    finish(choice.status, undefined, choice.backend);
    return;
  }
  const { backend, origins } = choice;
  const origin = origins[Math.floor(ctx.random() * origins.length)]!;
  const upstream = backend.upstream ?? decision.upstream;
  const originalHost = req.headers.host;
  const sink = { requestId: undefined as string | undefined };
  const base = upstreamHeaders(
    req.rawHeaders,
    req.headers.connection,
    {
      host: upstream.host ?? originalHost,
      originalHost,
      remoteAddress: remoteAddressOf(req),
      proto: (req.socket as { encrypted?: boolean }).encrypted === true ? 'https' : 'http',
      port: req.socket.localPort,
      forwarding: ctx.forwarding,
      via: ctx.via,
      httpVersion: req.httpVersion,
      requestIdHeader: ctx.requestIdHeader,
    },
    sink,
    ctx.generateId,
  );
  const headers = keepViaHop(
    applyModifiers(base, [decision.requestHeaders, backend.requestHeaders]),
    viaHop({ via: ctx.via, httpVersion: req.httpVersion }),
  );
  const handler = new UpgradeHandler(
    ctx,
    tunnels,
    req,
    socket,
    head,
    decision,
    backend,
    origin,
    startedAt,
    sink.requestId,
  );
  try {
    ctx.pools.get(origin, false).dispatch(
      {
        path: upstream.path,
        method: (req.method ?? 'GET') as Dispatcher.HttpMethod,
        headers,
        upgrade: req.headers.upgrade ?? 'websocket',
        body: null,
      },
      handler,
    );
  } catch (error) {
    handler.onError(error as Error);
  }
}

function flatten(headers: Readonly<Record<string, string>>): string[] {
  const flat: string[] = [];
  for (const name of Object.keys(headers)) flat.push(name, headers[name]!);
  return flat;
}
