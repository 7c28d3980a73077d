/**
 * The client side of the HTTP target: real requests over real sockets. HTTP/1.1 (keep-alive),
 * HTTPS with SNI, HTTP/2 (over TLS with ALPN, or cleartext with prior knowledge), and WebSocket
 * sessions that send a text and a binary frame and expect both back.
 */
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { connect as http2Connect } from 'node:http2';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import WebSocket from 'ws';
import type { NormalizedRequest } from '../target.js';

export interface Address {
  readonly host: string;
  readonly port: number;
}

/** What came back. */
export interface RawAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** A WebSocket session's outcome. */
export type WebSocketOutcome =
  | { readonly kind: 'echoed'; readonly headers: IncomingHttpHeaders }
  | { readonly kind: 'refused'; readonly answer: RawAnswer }
  | { readonly kind: 'broken'; readonly problem: string; readonly headers?: IncomingHttpHeaders };

const TIMEOUT_MS = 10_000;

function outgoingHeaders(
  request: NormalizedRequest,
  extra: Record<string, string>,
): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, values] of Object.entries(request.headers)) headers[name] = [...values];
  return { ...headers, ...extra };
}

function collect(res: IncomingMessage): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () =>
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
    );
    res.on('error', reject);
    res.on('aborted', () => reject(new Error('response aborted')));
  });
}

/** Keep-alive agents of one session. */
export class Clients {
  private readonly http = new HttpAgent({ keepAlive: true, maxSockets: 16 });
  private readonly https = new HttpsAgent({
    keepAlive: true,
    maxSockets: 16,
    rejectUnauthorized: false,
  });

  /** HTTP/1.1, plain or TLS. `host` is the Host header (undefined: none). */
  send(
    address: Address,
    request: NormalizedRequest,
    host: string | undefined,
    extra: Record<string, string>,
  ): Promise<RawAnswer> {
    const headers = outgoingHeaders(request, host === undefined ? extra : { ...extra, host });
    const tls = request.scheme === 'https';
    const options = {
      host: address.host,
      port: address.port,
      method: request.method,
      path: request.path,
      headers,
      setHost: false,
      timeout: TIMEOUT_MS,
      ...(tls
        ? {
            agent: this.https,
            rejectUnauthorized: false,
            ...(request.sni ? { servername: request.sni } : {}),
          }
        : { agent: this.http }),
    };
    return new Promise((resolve, reject) => {
      const req = (tls ? httpsRequest : httpRequest)(options, (res) =>
        collect(res).then(resolve, reject),
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
      req.on('error', reject);
      req.end();
    });
  }

  /** HTTP/2: TLS with ALPN `h2` for https, prior knowledge (h2c) for http. */
  sendHttp2(
    address: Address,
    request: NormalizedRequest,
    host: string | undefined,
    extra: Record<string, string>,
  ): Promise<RawAnswer> {
    const tls = request.scheme === 'https';
    const authority = `${tls ? 'https' : 'http'}://${address.host}:${address.port}`;
    return new Promise((resolve, reject) => {
      const session = http2Connect(authority, {
        ...(tls
          ? { rejectUnauthorized: false, ...(request.sni ? { servername: request.sni } : {}) }
          : {}),
      });
      const fail = (error: Error): void => {
        session.destroy();
        reject(error);
      };
      session.on('error', fail);
      const headers: Record<string, string | string[]> = {
        ':method': request.method,
        ':path': request.path,
        ':scheme': request.scheme,
        ...(host === undefined ? {} : { ':authority': host }),
      };
      for (const [name, value] of Object.entries(outgoingHeaders(request, extra)))
        headers[name.toLowerCase()] = value;
      const stream = session.request(headers, { endStream: true });
      stream.setTimeout(TIMEOUT_MS, () => fail(new Error(`no answer within ${TIMEOUT_MS} ms`)));
      let status = 0;
      let received: IncomingHttpHeaders = {};
      const chunks: Buffer[] = [];
      stream.on('response', (answer) => {
        status = Number(answer[':status']);
        received = {};
        for (const [name, value] of Object.entries(answer)) {
          if (!name.startsWith(':')) received[name] = value as string | string[];
        }
      });
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        session.close();
        resolve({ status, headers: received, body: Buffer.concat(chunks) });
      });
      stream.on('error', fail);
    });
  }

  /** Opens a WebSocket, sends a text and a binary frame, and waits for both to come back. */
  webSocket(
    address: Address,
    request: NormalizedRequest,
    host: string | undefined,
    extra: Record<string, string>,
  ): Promise<WebSocketOutcome> {
    const scheme = request.scheme === 'https' ? 'wss' : 'ws';
    const headers = outgoingHeaders(request, host === undefined ? extra : { ...extra, host });
    const text = 'Websocket Support!';
    const binary = Buffer.from([1, 2, 3, 4, 5, 6, 7]);
    return new Promise((resolve) => {
      const ws = new WebSocket(`${scheme}://${address.host}:${address.port}${request.path}`, {
        headers: headers as Record<string, string>,
        handshakeTimeout: TIMEOUT_MS,
        rejectUnauthorized: false,
        ...(request.sni ? { servername: request.sni } : {}),
      });
      let upgradeHeaders: IncomingHttpHeaders | undefined;
      const got: { text?: string; binary?: Buffer } = {};
      let settled = false;
      const settle = (outcome: WebSocketOutcome): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        ws.terminate();
        resolve(outcome);
      };
      const timer = setTimeout(
        () =>
          settle({
            kind: 'broken',
            problem: 'frames did not come back in time',
            ...(upgradeHeaders ? { headers: upgradeHeaders } : {}),
          }),
        TIMEOUT_MS,
      );
      ws.on('upgrade', (res) => (upgradeHeaders = res.headers));
      ws.on('unexpected-response', (_req, res) => {
        collect(res).then(
          (answer) => settle({ kind: 'refused', answer }),
          (error: Error) => settle({ kind: 'broken', problem: error.message }),
        );
      });
      ws.on('error', (error) => settle({ kind: 'broken', problem: error.message }));
      ws.on('open', () => {
        ws.send(text);
        ws.send(binary);
      });
      ws.on('message', (data, isBinary) => {
        const buffer = Buffer.isBuffer(data) ? data : Buffer.concat(data as Buffer[]);
        if (isBinary) got.binary = buffer;
        else got.text = buffer.toString();
        if (got.text === undefined || got.binary === undefined) return;
        if (got.text === text && got.binary.equals(binary))
          settle({ kind: 'echoed', headers: upgradeHeaders ?? {} });
        else
          settle({
            kind: 'broken',
            problem: `frames changed: ${JSON.stringify(got.text)}, ${got.binary.toString('hex')}`,
          });
      });
    });
  }

  close(): void {
    this.http.destroy();
    this.https.destroy();
  }
}
