/**
 * Cleartext HTTP/2 with prior knowledge next to HTTP/1.1 on one Fastify port, as the Node
 * gateway serves its HTTP listeners (Fastify alone serves one or the other). A Fastify
 * `serverFactory`: an HTTP/1.1 server whose connections are first sniffed; those opening with the
 * HTTP/2 preface go to an h2c server running the same handler. `fastify.server` stays the
 * HTTP/1.1 server, so its `upgrade` events (WebSocket) are untouched.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createH2cServer } from 'node:http2';
import type { Socket } from 'node:net';

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export function h2cServerFactory(handler: Handler): Server {
  const http1 = createServer(handler);
  const h2c = createH2cServer(handler as unknown as Parameters<typeof createH2cServer>[0]);
  const [http1Connection] = http1.listeners('connection') as ((socket: Socket) => void)[];
  http1.removeAllListeners('connection');
  http1.on('connection', (socket: Socket) => {
    socket.once('data', (chunk: Buffer) => {
      socket.pause();
      socket.unshift(chunk);
      const length = Math.min(chunk.length, PREFACE.length);
      if (chunk.subarray(0, length).equals(PREFACE.subarray(0, length)))
        h2c.emit('connection', socket);
      else http1Connection!.call(http1, socket);
      process.nextTick(() => socket.resume());
    });
  });
  return http1;
}
