/**
 * The echo backend: a real HTTP server standing for one backend (one Service port) in data-plane
 * tests. It answers every request with a JSON description of what it received (method, request
 * target, Host, headers, body size) and who it is, records every request it sees (mirrors and
 * retried attempts included), echoes WebSocket messages, and honours the FORMAT.md knobs.
 *
 * Answers of the `/retry/` knob's failing attempts are plain text without the echo body, so a
 * gateway that relays them cannot pass for having reached the backend successfully.
 */
import { EventEmitter, once } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { constants as http2Constants, createServer as createH2cServer } from 'node:http2';
import type {
  Http2Server,
  Http2ServerRequest,
  Http2ServerResponse,
  Http2Session,
} from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { BackendId } from '../target.js';
import { readKnobs } from './knobs.js';

/** What the echo backend received, in its answer body and in `records`. */
export interface EchoRecord {
  /** Marks an echo answer: `switchyard-echo`. */
  readonly echo: 'switchyard-echo';
  readonly backend: BackendId;
  readonly method: string;
  /** The request target as received (path and query). */
  readonly path: string;
  /** `Host`, or `:authority` under HTTP/2. */
  readonly host?: string;
  /** Lower-case names, every value of repeated headers (HTTP/2 pseudo-headers excluded). */
  readonly headers: Readonly<Record<string, readonly string[]>>;
  readonly httpVersion: string;
  readonly bodyBytes: number;
  /** True for a WebSocket handshake. */
  readonly upgrade: boolean;
}

export interface EchoBackendOptions {
  readonly identity: BackendId;
  /** `http1` (default; HTTP/1.1 and WebSocket) or `h2c` (cleartext HTTP/2 only, prior knowledge). */
  readonly protocol?: 'http1' | 'h2c';
  /** Default `127.0.0.1`. */
  readonly host?: string;
  /** Default 0 (any free port). */
  readonly port?: number;
  /** Records kept (oldest dropped first); default 20000. */
  readonly maxRecords?: number;
}

export interface EchoBackend {
  readonly identity: BackendId;
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
  readonly port: number;
  readonly protocol: 'http1' | 'h2c';
  /** Every request seen, oldest first (bounded by `maxRecords`). */
  readonly records: readonly EchoRecord[];
  /** The first record (already seen or arriving within `timeoutMs`) matching `predicate`. */
  waitFor(
    predicate: (record: EchoRecord) => boolean,
    timeoutMs: number,
  ): Promise<EchoRecord | undefined>;
  /** Forgets the records and the `/retry/` attempt counts. */
  clear(): void;
  close(): Promise<void>;
}

/** The response header carrying `namespace/name:port` of the backend that answered. */
export const ECHO_BACKEND_HEADER = 'x-echo-backend';

function identityText(id: BackendId): string {
  return `${id.namespace}/${id.name}${id.port === undefined ? '' : `:${id.port}`}`;
}

function distinctHeaders(raw: readonly string[]): Record<string, string[]> {
  const headers: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (name.startsWith(':')) continue;
    (headers[name] ??= []).push(raw[i + 1]!);
  }
  return { ...headers };
}

type AnyRequest = IncomingMessage | Http2ServerRequest;
type AnyResponse = ServerResponse | Http2ServerResponse;

class Echo extends EventEmitter implements EchoBackend {
  readonly records: EchoRecord[] = [];
  origin = '';
  port = 0;
  private readonly attempts = new Map<string, number>();
  private readonly sockets = new Set<Socket>();
  private readonly sessions = new Set<Http2Session>();
  private readonly server: Server | Http2Server;
  private readonly wss: WebSocketServer | undefined;
  private readonly maxRecords: number;
  readonly identity: BackendId;
  readonly protocol: 'http1' | 'h2c';

  constructor(options: EchoBackendOptions) {
    super();
    this.setMaxListeners(0);
    this.identity = options.identity;
    this.protocol = options.protocol ?? 'http1';
    this.maxRecords = options.maxRecords ?? 20_000;
    const handler = (req: AnyRequest, res: AnyResponse): void => this.handle(req, res);
    if (this.protocol === 'h2c') {
      const server = createH2cServer(handler);
      server.on('session', (session: Http2Session) => {
        this.sessions.add(session);
        session.on('close', () => this.sessions.delete(session));
        session.on('error', () => undefined);
      });
      this.server = server;
    } else {
      const server = createServer(handler);
      const wss = new WebSocketServer({ noServer: true });
      wss.on('headers', (headers) =>
        headers.push(`${ECHO_BACKEND_HEADER}: ${identityText(this.identity)}`),
      );
      server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
        socket.on('error', () => undefined);
        this.record(req, 0, true);
        wss.handleUpgrade(req, socket, head, (ws) => {
          ws.on('error', () => undefined);
          ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
        });
      });
      this.wss = wss;
      this.server = server;
    }
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
    });
  }

  async listen(host: string, port: number): Promise<void> {
    this.server.listen(port, host);
    await once(this.server, 'listening');
    this.port = (this.server.address() as AddressInfo).port;
    const shown = host.includes(':') ? `[${host}]` : host;
    this.origin = `http://${shown}:${this.port}`;
  }

  private record(req: AnyRequest, bodyBytes: number, upgrade: boolean): EchoRecord {
    const host = req.headers.host ?? (req.headers[':authority'] as string | undefined);
    const record: EchoRecord = {
      echo: 'switchyard-echo',
      backend: this.identity,
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      ...(host === undefined ? {} : { host }),
      headers: distinctHeaders(req.rawHeaders),
      httpVersion: req.httpVersion,
      bodyBytes,
      upgrade,
    };
    this.records.push(record);
    if (this.records.length > this.maxRecords) this.records.shift();
    this.emit('record', record);
    return record;
  }

  private handle(req: AnyRequest, res: AnyResponse): void {
    res.on('error', () => undefined);
    let bodyBytes = 0;
    req.on('data', (chunk: Buffer) => (bodyBytes += chunk.length));
    req.on('error', () => undefined);
    req.on('end', () => this.answer(req, res, this.record(req, bodyBytes, false)));
  }

  private answer(req: AnyRequest, res: AnyResponse, record: EchoRecord): void {
    const setHeader = req.headers['x-echo-set-header'];
    const knobs = readKnobs(
      record.path,
      Array.isArray(setHeader) ? setHeader.join(',') : setHeader,
    );
    const retry = knobs.retry;
    if (retry !== undefined) {
      const attempt = (this.attempts.get(retry.uuid) ?? 0) + 1;
      this.attempts.set(retry.uuid, attempt);
      if (attempt <= retry.succeedAfter) {
        this.later(res, retry.delayRetryMs, () =>
          this.failAttempt(req, res, retry.responseCode, attempt),
        );
        return;
      }
    }
    this.later(res, knobs.delayMs, () => {
      const body = JSON.stringify(record);
      const headers: (readonly [string, string])[] = [
        ['content-type', 'application/json'],
        ['content-length', String(Buffer.byteLength(body))],
        [ECHO_BACKEND_HEADER, identityText(this.identity)],
        ...knobs.setHeaders,
      ];
      writeHead(res, 200, headers);
      res.end(body);
    });
  }

  private failAttempt(
    req: AnyRequest,
    res: AnyResponse,
    code: number | undefined,
    attempt: number,
  ): void {
    if (code === undefined) {
      if (this.protocol === 'h2c')
        (req as Http2ServerRequest).stream.close(http2Constants.NGHTTP2_INTERNAL_ERROR);
      else (req.socket as Socket).resetAndDestroy();
      return;
    }
    const body = `retry knob: attempt ${attempt} fails with ${code}\n`;
    writeHead(res, code, [
      ['content-type', 'text/plain'],
      ['content-length', String(Buffer.byteLength(body))],
    ]);
    res.end(body);
  }

  /** Runs `answer` after `ms` unless the client goes away first. */
  private later(res: AnyResponse, ms: number, answer: () => void): void {
    if (ms <= 0) {
      answer();
      return;
    }
    const timer = setTimeout(answer, ms);
    res.on('close', () => clearTimeout(timer));
  }

  waitFor(
    predicate: (record: EchoRecord) => boolean,
    timeoutMs: number,
  ): Promise<EchoRecord | undefined> {
    const found = this.records.find(predicate);
    if (found !== undefined || timeoutMs <= 0) return Promise.resolve(found);
    return new Promise((resolve) => {
      const onRecord = (record: EchoRecord): void => {
        if (!predicate(record)) return;
        clearTimeout(timer);
        this.off('record', onRecord);
        resolve(record);
      };
      const timer = setTimeout(() => {
        this.off('record', onRecord);
        resolve(undefined);
      }, timeoutMs);
      this.on('record', onRecord);
    });
  }

  clear(): void {
    this.records.length = 0;
    this.attempts.clear();
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const client of this.wss?.clients ?? []) client.terminate();
    this.wss?.close();
    for (const session of this.sessions) session.destroy();
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}

function writeHead(
  res: AnyResponse,
  status: number,
  headers: readonly (readonly [string, string])[],
): void {
  const object: Record<string, string | string[]> = {};
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    const existing = object[key];
    object[key] =
      existing === undefined
        ? value
        : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  (res as ServerResponse).writeHead(status, object);
}

/**
 * Starts an echo backend on `127.0.0.1` (any free port unless `port` says otherwise).
 *
 * @example
 * ```ts
 * const backend = await startEchoBackend({ identity: { group: '', kind: 'Service', namespace: 'infra', name: 'v1', port: 8080 } });
 * const answer = await fetch(`${backend.origin}/x?delay=100ms`).then((r) => r.json());
 * await backend.close();
 * ```
 */
export async function startEchoBackend(options: EchoBackendOptions): Promise<EchoBackend> {
  const echo = new Echo(options);
  await echo.listen(options.host ?? '127.0.0.1', options.port ?? 0);
  return echo;
}
