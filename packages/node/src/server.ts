/**
 * The server of one Gateway listener port: HTTP/1.1 (optionally next to h2c), or HTTPS with
 * certificates chosen by SNI and HTTP/2 by ALPN. It tracks its connections and HTTP/2 sessions so
 * that a drain can close idle ones at once and the rest after their answer, and a deadline can
 * cut whatever is left.
 */
import { createServer as createHttpServer } from 'node:http';
import type {
  IncomingMessage,
  Server as HttpServer,
  ServerOptions as HttpServerOptions,
  ServerResponse,
} from 'node:http';
import { createSecureServer, createServer as createHttp2Server } from 'node:http2';
import type { Http2SecureServer, Http2Session } from 'node:http2';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Server as NetServer, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { guardServer } from './guard.js';
import { sniffingServer } from './h2c.js';
import type { ProxyRequest, ProxyResponse } from './respond.js';
import { CertificateSelector } from './tls.js';
import { clampDelay } from './timers.js';
import type { TlsCertificate } from './tls.js';

export { handleClientError } from './guard.js';

/** Node server settings for the traffic ports. */
export interface ServerTuning {
  /** Largest request header block; larger ones are answered 431. Default 16 KiB. */
  readonly maxHeaderSize?: number;
  readonly keepAliveTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  /** Slow clients: a header block not complete after this long answers 408 (Node default 60 s). */
  readonly headersTimeoutMs?: number;
  /** How often Node checks `headersTimeoutMs` and `requestTimeoutMs` (Node default 30 s). */
  readonly connectionsCheckingIntervalMs?: number;
}

export interface PortServerOptions {
  readonly server?: ServerTuning;
  readonly http2?: { readonly tls?: boolean; readonly cleartext?: boolean };
}

/** `server.listen`, resolved with the address or rejected with the bind error (EADDRINUSE...). */
export async function listen(
  server: NetServer,
  port: number,
  host: string | undefined,
): Promise<AddressInfo> {
  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error): void => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError).once('listening', onListening);
    server.listen(port, host);
  });
  return server.address() as AddressInfo;
}

export type Handler = (req: ProxyRequest, res: ProxyResponse) => void;
export type Upgrader = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/** The server of one listener port. */
export class PortServer {
  readonly selector: CertificateSelector | undefined;
  address: AddressInfo | undefined;
  private readonly outer: NetServer;
  private readonly http1: HttpServer | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly sessions = new Set<Http2Session>();
  private closed: Promise<void> | undefined;

  constructor(
    readonly listenerPort: number,
    readonly protocol: 'HTTP' | 'HTTPS',
    handler: Handler,
    upgrade: Upgrader,
    options: PortServerOptions,
  ) {
    const tuning = options.server ?? {};
    const httpOptions: HttpServerOptions = {
      ...(tuning.maxHeaderSize === undefined ? {} : { maxHeaderSize: tuning.maxHeaderSize }),
      ...(tuning.keepAliveTimeoutMs === undefined
        ? {}
        : { keepAliveTimeout: clampDelay(tuning.keepAliveTimeoutMs) }),
      ...(tuning.requestTimeoutMs === undefined
        ? {}
        : { requestTimeout: clampDelay(tuning.requestTimeoutMs) }),
      ...(tuning.headersTimeoutMs === undefined
        ? {}
        : { headersTimeout: clampDelay(tuning.headersTimeoutMs) }),
      ...(tuning.connectionsCheckingIntervalMs === undefined
        ? {}
        : { connectionsCheckingInterval: clampDelay(tuning.connectionsCheckingIntervalMs) }),
    };
    const trackSession = (session: Http2Session): void => {
      this.sessions.add(session);
      session.on('close', () => this.sessions.delete(session));
      session.on('error', () => undefined);
    };
    if (protocol === 'HTTP') {
      const http1 = createHttpServer(
        httpOptions,
        handler as (req: IncomingMessage, res: ServerResponse) => void,
      );
      guardServer(http1).on('upgrade', upgrade);
      this.http1 = http1;
      if (options.http2?.cleartext === true) {
        const http2 = createHttp2Server({}, handler);
        http2.on('session', trackSession);
        this.outer = sniffingServer(http1, http2);
      } else {
        this.outer = http1;
      }
    } else {
      const selector = new CertificateSelector();
      this.selector = selector;
      const tls = { SNICallback: selector.sniCallback };
      if (options.http2?.tls ?? true) {
        const secure: Http2SecureServer = createSecureServer(
          { ...tls, allowHTTP1: true, ...httpOptions },
          handler,
        );
        secure.on('session', trackSession);
        secure.on('upgrade', upgrade);
        // HTTP/1.1 connections of an `allowHTTP1` server report parse errors like http.Server.
        guardServer(secure as unknown as HttpServer);
        this.outer = secure;
      } else {
        const https = createHttpsServer(
          { ...tls, ...httpOptions },
          handler as (req: IncomingMessage, res: ServerResponse) => void,
        );
        guardServer(https).on('upgrade', upgrade);
        this.outer = https;
      }
    }
    this.outer.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.outer.on('error', () => undefined);
  }

  /** Applies the fallback certificate to clients that send no server name. */
  refreshDefaultContext(): void {
    const fallback = this.selector?.fallback;
    if (fallback === undefined) return;
    (this.outer as unknown as { setSecureContext(options: TlsCertificate): void }).setSecureContext(
      fallback,
    );
  }

  async listen(host: string | undefined, port: number): Promise<void> {
    this.address = await listen(this.outer, port, host);
  }

  /** Stops accepting; idle keep-alive connections close now, busy ones after their response. */
  drain(): Promise<void> {
    if (this.closed !== undefined) return this.closed;
    const server = this.http1 ?? (this.outer as Partial<HttpServer>);
    // A connection busy at drain time becomes idle after its answer: close it then, rather than
    // after the keep-alive timeout. (Answers started after the drain carry `Connection: close`.)
    const sweep = setInterval(() => server.closeIdleConnections?.(), 25);
    this.closed = new Promise<void>((resolve) =>
      this.outer.close(() => {
        clearInterval(sweep);
        resolve();
      }),
    );
    server.closeIdleConnections?.();
    for (const session of this.sessions) session.close();
    return this.closed;
  }

  destroy(): void {
    void this.drain();
    for (const session of this.sessions) session.destroy();
    for (const socket of this.sockets) socket.destroy();
  }
}
