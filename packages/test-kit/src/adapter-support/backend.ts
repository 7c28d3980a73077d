/**
 * A socket backend for the behaviour tests that keeps what it received byte for byte (the echo
 * backend of the test-kit reports body sizes only) and answers with a JSON summary.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface CaptureBackend {
  readonly origin: string;
  readonly received: Received[];
  close(): Promise<void>;
}

export async function startCaptureBackend(name: string): Promise<CaptureBackend> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const answer = JSON.stringify({ backend: name, url: req.url, bytes: body.length });
      res.writeHead(200, {
        'content-type': 'application/json',
        'x-internal': 'yes',
        'x-backend': name,
      });
      res.end(answer);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
