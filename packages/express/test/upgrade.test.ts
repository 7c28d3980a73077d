// WebSocket upgrades through `middleware.upgrade`, in Express 5 and 4: a routed upgrade is
// tunnelled to the backend; an unrouted one is passed to `next` when one is given.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticResolver } from '@switchyard/node';
import { Clients, startEchoBackend } from '@switchyard/test-kit';
import type { EchoBackend, NormalizedRequest } from '@switchyard/test-kit';
import { switchyard } from '../src/index.js';
import type { SwitchyardMiddleware } from '../src/index.js';
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

describe.each(flavours)('$name: WebSocket upgrades', (flavour) => {
  let echo: EchoBackend;
  let middleware: SwitchyardMiddleware;
  let server: Server;
  let port: number;
  const clients = new Clients();
  const passedOn: string[] = [];

  beforeAll(async () => {
    echo = await startEchoBackend({
      identity: { group: '', kind: 'Service', namespace: 'infra', name: 'banking', port: 8080 },
    });
    middleware = switchyard({
      source: worldTable(),
      resolver: staticResolver({ 'infra/banking:8080': echo.origin }),
      logger: false,
    });
    const app = flavour.express();
    app.use(middleware);
    server = createServer(app);
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      middleware.upgrade(req, socket, head, () => {
        passedOn.push(req.url ?? '');
        socket.end(
          'HTTP/1.1 426 Upgrade Required\r\ncontent-length: 0\r\nconnection: close\r\n\r\n',
        );
      }),
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    clients.close();
    server.closeAllConnections();
    server.close();
    await middleware.close();
    await echo.close();
  });

  it('tunnels a routed upgrade to the backend, frames both ways', async () => {
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

  it('passes an unrouted upgrade to next', async () => {
    const outcome = await clients.webSocket(
      { host: '127.0.0.1', port },
      webSocketRequest('/chat'),
      'gw.example',
      {},
    );
    expect(outcome.kind).toBe('refused');
    expect(outcome.kind === 'refused' ? outcome.answer.status : 0).toBe(426);
    expect(passedOn).toEqual(['/chat']);
  });
});
