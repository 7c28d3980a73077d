// Atomic table swaps: 100 swaps under steady load fail no request, and a request finishes on the
// table it started with even when the next table no longer routes it.
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequestListener, staticResolver, swappableSource } from '../src/index.js';
import type { SwappableSource } from '../src/index.js';
import { objectsFor, startBackend, tableFor } from './support/fixtures.js';
import type { Backend } from './support/fixtures.js';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

describe('hot swap', () => {
  let blue: Backend;
  let green: Backend;
  let slow: Backend;
  let server: Server;
  let url: string;
  let source: SwappableSource;
  const tableBlue = tableFor(
    objectsFor([
      { path: '/app', service: 'blue' },
      { path: '/slow', service: 'slow' },
    ]),
  );
  const tableGreen = tableFor(objectsFor([{ path: '/app', service: 'green' }]));
  let close: () => Promise<void>;

  beforeAll(async () => {
    blue = await startBackend((_req, res) => res.end('blue'));
    green = await startBackend((_req, res) => res.end('green'));
    slow = await startBackend((_req, res) => setTimeout(() => res.end('slow but done'), 300));
    source = swappableSource(tableBlue);
    const listener = createRequestListener({
      source,
      resolver: staticResolver({
        'infra/blue:8080': blue.origin,
        'infra/green:8080': green.origin,
        'infra/slow:8080': slow.origin,
      }),
    });
    server = createServer(listener);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await listener.close();
    };
  });

  afterAll(async () => {
    await close();
    await Promise.all([blue.close(), green.close(), slow.close()]);
  });

  it('swaps 100 times under steady load without a single failed request', async () => {
    const agent = new Agent({ connections: 16 });
    let stop = false;
    let ok = 0;
    const failures: string[] = [];
    const seen = new Set<string>();
    const worker = async (): Promise<void> => {
      while (!stop) {
        try {
          const response = await request(`${url}/app`, { dispatcher: agent });
          const body = await response.body.text();
          if (response.statusCode === 200 && (body === 'blue' || body === 'green')) {
            ok += 1;
            seen.add(body);
          } else failures.push(`${response.statusCode} ${body}`);
        } catch (error) {
          failures.push(String(error));
        }
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    for (let swap = 0; swap < 100; swap += 1) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      source.swap(swap % 2 === 0 ? tableGreen : tableBlue);
    }
    stop = true;
    await Promise.all(workers);
    await agent.close();
    expect(failures).toEqual([]);
    expect(ok).toBeGreaterThan(200);
    expect([...seen].sort()).toEqual(['blue', 'green']);
  });

  it('finishes a request on the table it started with', async () => {
    source.swap(tableBlue);
    const pending = request(`${url}/slow`).then(async (r) => [r.statusCode, await r.body.text()]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    source.swap(tableGreen); // green has no /slow route
    expect(await pending).toEqual([200, 'slow but done']);
    const after = await request(`${url}/slow`);
    expect(after.statusCode).toBe(404);
    await after.body.dump();
  });
});
