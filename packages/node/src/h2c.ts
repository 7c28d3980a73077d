/**
 * Cleartext HTTP/2 with prior knowledge (h2c) next to HTTP/1.1 on one port: the first bytes of a
 * connection say which protocol it speaks (the HTTP/2 preface starts `PRI * HTTP/2.0`), and the
 * connection is handed to the matching server with those bytes put back.
 */
import { createServer as createNetServer } from 'node:net';
import type { Server as NetServer, Socket } from 'node:net';
import type { Server as HttpServer } from 'node:http';
import type { Http2Server } from 'node:http2';

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

function startsLikePreface(chunk: Buffer): boolean {
  const length = Math.min(chunk.length, PREFACE.length);
  return chunk.subarray(0, length).equals(PREFACE.subarray(0, length));
}

/**
 * A TCP server that routes each connection to `http1` or `http2` by its first bytes. A client
 * that sends nothing for `idleMs` is disconnected.
 */
export function sniffingServer(http1: HttpServer, http2: Http2Server, idleMs = 60_000): NetServer {
  return createNetServer((socket: Socket) => {
    socket.setTimeout(idleMs, () => socket.destroy());
    socket.once('data', (chunk: Buffer) => {
      socket.setTimeout(0);
      socket.pause();
      socket.unshift(chunk);
      (startsLikePreface(chunk) ? http2 : http1).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
    socket.on('error', () => socket.destroy());
  });
}
