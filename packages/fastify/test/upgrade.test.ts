// WebSocket upgrades with `websocket: true`, in Fastify 5 and 4: a routed upgrade is tunnelled to
// the backend; an unrouted one is left to the server's other `upgrade` listeners when there are
// any, and answered 404 when there are none.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticResolver } from '@switchyard/node';
import { Clients, startEchoBackend } from '@switchyard/test-kit';
import type { EchoBackend, NormalizedRequest } from '@switchyard/test-kit';
import type { FastifyInstance } from 'fastify';
import { switchyard } from '../src/index.js';
import { flavours } from './support/flavours.js';
import { worldTable } from '@switchyard/test-kit';

function webSocketRequest(path: string): NormalizedRequest {
  return {
    method: 'GET',
    scheme: 'http',
    port: 80,
    path,
    headers: {},
    gateway: { namespace: 'infra', name: 'gw' },
    protocol: 'HTTP/1.1',
    websocket: true,
  };
}

function portOf(app: FastifyInstance): number {
  const address = app.server.address();
  return typeof address === 'object' && address !== null ? address.port : 0;
}

describe.each(flavours)('$name: WebSocket upgrades', (flavour) => {
  let echo: EchoBackend;
  const apps: FastifyInstance[] = [];
  const clients = new Clients();

  beforeAll(async () => {
    echo = await startEchoBackend({
      identity: { group: '', kind: 'Service', namespace: 'infra', name: 'banking', port: 8080 },
    });
  });

  afterAll(async () => {
    clients.close();
    await Promise.all(apps.map((app) => app.close()));
    await echo.close();
  });

  async function start(
    otherListener?: (req: IncomingMessage, socket: Duplex) => void,
  ): Promise<number> {
    const app = flavour.create();
    apps.push(app);
    await app.register(switchyard, {
      source: worldTable(),
      resolver: staticResolver({ 'infra/banking:8080': echo.origin }),
      websocket: true,
    });
    if (otherListener !== undefined) app.server.on('upgrade', otherListener);
    await app.listen({ port: 0, host: '127.0.0.1' });
    return portOf(app);
  }

  it('tunnels a routed upgrade to the backend, frames both ways', async () => {
    const port = await start();
    const outcome = await clients.webSocket(
      { host: '127.0.0.1', port },
      webSocketRequest('/banking/live'),
      'gw.example',
      {},
    );
    expect(outcome.kind).toBe('echoed');
    expect(echo.records.some((record) => record.upgrade && record.path === '/banking/live')).toBe(
      true,
    );
  });

  it("leaves an unrouted upgrade to the server's other upgrade listeners", async () => {
    const seen: string[] = [];
    const port = await start((req, socket) => {
      seen.push(req.url ?? '');
      socket.end('HTTP/1.1 426 Upgrade Required\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
    });
    const outcome = await clients.webSocket(
      { host: '127.0.0.1', port },
      webSocketRequest('/chat'),
      'gw.example',
      {},
    );
    expect(outcome.kind === 'refused' ? outcome.answer.status : outcome.kind).toBe(426);
    expect(seen).toEqual(['/chat']);
  });

  it('answers 404 to an unrouted upgrade nobody else takes', async () => {
    const port = await start();
    const outcome = await clients.webSocket(
      { host: '127.0.0.1', port },
      webSocketRequest('/chat'),
      'gw.example',
      {},
    );
    expect(outcome.kind === 'refused' ? outcome.answer.status : outcome.kind).toBe(404);
  });
});
