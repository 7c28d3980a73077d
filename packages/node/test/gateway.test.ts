// createGateway keeps its servers in step with the table: a swap that adds a listener opens a
// server for it, one that removes a listener closes it; a port that cannot be bound fails startup.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, staticResolver, swappableSource } from '../src/index.js';
import type { SwappableSource } from '../src/index.js';
import { objectsFor, startBackend, startGateway, tableFor } from './support/fixtures.js';
import type { Backend, RunningGateway } from './support/fixtures.js';
import { send } from './support/client.js';

describe('createGateway listeners', () => {
  let backend: Backend;
  let gw: RunningGateway;
  let source: SwappableSource;
  const one = [{ name: 'http', port: 80, protocol: 'HTTP' }];
  const two = [...one, { name: 'alt', port: 8080, protocol: 'HTTP' }];
  const tableWith = (listeners: Record<string, unknown>[]) =>
    tableFor(objectsFor([{ path: '/', service: 'app' }], { listeners }));

  beforeAll(async () => {
    backend = await startBackend((_req, res) => res.end('app'));
    source = swappableSource(tableWith(one));
    gw = await startGateway({
      source,
      resolver: staticResolver({ 'infra/app:8080': backend.origin }),
    });
  });

  afterAll(async () => {
    await gw.close();
    await backend.close();
  });

  it('opens a server for a listener a swap adds, and closes the one a swap removes', async () => {
    expect(gw.gateway.addressFor(8080)).toBeUndefined();
    source.swap(tableWith(two));
    await gw.gateway.settled();
    expect(gw.gateway.addresses().map((a) => a.listenerPort)).toEqual([80, 8080]);
    expect((await send(gw.url(8080))).body).toBe('app');
    const alt = gw.url(8080);
    source.swap(tableWith(one));
    await gw.gateway.settled();
    expect(gw.gateway.addressFor(8080)).toBeUndefined();
    await expect(send(alt)).rejects.toThrow(/ECONNREFUSED/);
    expect((await send(gw.url())).body).toBe('app');
  });

  it('fails to start, and leaves nothing open, when a port cannot be bound', async () => {
    const taken = gw.gateway.addressFor(80)!.port;
    await expect(
      createGateway({
        source: tableWith(one),
        host: '127.0.0.1',
        ports: { 80: taken },
        logger: false,
        metrics: false,
      }),
    ).rejects.toThrow(/EADDRINUSE/);
  });
});
