// Decision 18 on a server the app owns (`guardServer`): after a parser-level answer the connection
// is finished, so `server.close()` (Express, Fastify, any app) does not wait on it forever.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { guardServer } from '../src/index.js';

let server: Server | undefined;
afterEach(() => {
  server?.closeAllConnections();
  server = undefined;
});

async function guarded(): Promise<number> {
  server = guardServer(createServer((_req, res) => res.end('ok')));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

/** Writes `bytes`, resolves with everything read until the answer's end (`connection: close`). */
async function answerTo(socket: Socket, bytes: string): Promise<string> {
  socket.write(bytes);
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
  await once(socket, 'end');
  return text;
}

function closed(target: Server): Promise<void> {
  return new Promise((resolve) => target.close(() => resolve()));
}

describe('decision 18: a refused connection does not hold server.close()', () => {
  it('decision 18: the client closes after the 400: the server closes', async () => {
    const port = await guarded();
    const socket = connect(port, '127.0.0.1');
    const text = await answerTo(socket, 'HELLO\r\n\r\n');
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    expect(text.toLowerCase()).toContain('x-switchyard-error: swy_bad_request');
    socket.end();
    await closed(server!);
  });

  it('decision 18: the client keeps sending and never closes: the server still closes', async () => {
    const port = await guarded();
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    const text = await answerTo(socket, 'GARBAGE\r\n\r\n');
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    const more = setInterval(() => socket.write('more garbage\r\n'), 20);
    try {
      await closed(server!);
    } finally {
      clearInterval(more);
      socket.destroy();
    }
  });
});
