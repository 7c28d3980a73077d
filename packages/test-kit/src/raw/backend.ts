/**
 * A backend for the attack suite that records what reached it: every request as parsed (method,
 * target, raw header pairs, the whole body, whether it completed) and every byte of every
 * connection, so a test can say exactly what crossed the gateway. It answers `200` with its
 * name in `x-backend`, waits `?delay=<ms>` first, and sets response headers from
 * `x-test-set: name=value; name2=value2` (to play a backend that forges gateway headers).
 * An upgrade to `/decline...` is answered 403; any other upgrade is accepted and echoed.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';

export interface RawReceived {
  readonly method: string;
  readonly url: string;
  readonly headers: readonly (readonly [string, string])[];
  body: string;
  complete: boolean;
  readonly upgrade: boolean;
}

export interface RawBackend {
  readonly name: string;
  readonly origin: string;
  readonly requests: RawReceived[];
  /** Every byte any connection sent since the last `clear()` (latin1). */
  readonly bytes: () => string;
  /** The first value of a header in a received request (case-insensitive). */
  header(request: RawReceived, name: string): string | undefined;
  clear(): void;
  close(): Promise<void>;
}

function pairsOf(raw: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!]);
  return out;
}

function record(req: IncomingMessage, upgrade: boolean): RawReceived {
  return {
    method: req.method ?? '',
    url: req.url ?? '',
    headers: pairsOf(req.rawHeaders),
    body: '',
    complete: false,
    upgrade,
  };
}

export async function startRawBackend(name: string): Promise<RawBackend> {
  const requests: RawReceived[] = [];
  let bytes = '';
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const seen = record(req, false);
    requests.push(seen);
    req.setEncoding('latin1');
    req.on('data', (chunk: string) => (seen.body += chunk));
    req.on('end', () => {
      seen.complete = true;
      const delay = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('delay') ?? 0);
      setTimeout(() => {
        const set = req.headers['x-test-set'];
        const extra: string[] = [];
        for (const part of typeof set === 'string' ? set.split(';') : []) {
          const [header, value] = part.split('=');
          if (header !== undefined && value !== undefined) extra.push(header.trim(), value.trim());
        }
        const body = `${name} ${req.method} ${req.url}`;
        res.writeHead(200, ['x-backend', name, 'content-type', 'text/plain', ...extra]);
        res.end(body);
      }, delay);
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const seen = record(req, true);
    seen.complete = true;
    requests.push(seen);
    if ((req.url ?? '').startsWith('/decline') || (req.url ?? '').includes('decline')) {
      socket.end(
        'HTTP/1.1 403 Forbidden\r\ncontent-length: 8\r\nconnection: close\r\n\r\ndeclined',
      );
      return;
    }
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nupgrade: ${req.headers.upgrade}\r\nconnection: Upgrade\r\nx-backend: ${name}\r\n\r\n`,
    );
    if (head.length > 0) socket.write(head);
    socket.pipe(socket);
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('data', (chunk: Buffer) => (bytes += chunk.toString('latin1')));
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    name,
    origin: `http://127.0.0.1:${port}`,
    requests,
    bytes: () => bytes,
    header: (request, wanted) =>
      request.headers.find(([key]) => key.toLowerCase() === wanted.toLowerCase())?.[1],
    clear: () => {
      requests.length = 0;
      bytes = '';
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
