// Rule 28: retries cannot multiply traffic. The Gateway API sets no maximum on a route's
// `retry.attempts`, so a tenant could make one client request into any number of requests to a
// backend (its own, or another team's through a Backend address). The engine caps them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidOptionError, createProxy, staticResolver } from '../src/index.js';
import { objectsFor, startBackend, startGateway, tableFor } from './support/fixtures.js';
import type { Backend, RunningGateway } from './support/fixtures.js';
import { send } from './support/client.js';

const retrying = (attempts: number) => ({ retry: { attempts, codes: [503] } });

describe('rule 28: bounded retries', () => {
  let failing: Backend;
  let hits = 0;
  const gateways: RunningGateway[] = [];

  beforeAll(async () => {
    failing = await startBackend((req, res) => {
      hits += 1;
      req.resume();
      res.statusCode = 503;
      res.end('down');
    });
  });

  afterAll(async () => {
    await Promise.all(gateways.map((gw) => gw.close()));
    await failing.close();
  });

  async function gatewayWith(options: { maxRetries?: number }): Promise<RunningGateway> {
    const gw = await startGateway({
      source: tableFor(
        objectsFor([
          { path: '/greedy', service: 'failing', extra: retrying(1_000_000) },
          { path: '/modest', service: 'failing', extra: retrying(2) },
        ]),
      ),
      resolver: staticResolver({ 'infra/failing:8080': failing.origin }),
      ...options,
    });
    gateways.push(gw);
    return gw;
  }

  async function backendRequestsFor(gw: RunningGateway, path: string): Promise<number> {
    const before = hits;
    const answer = await send(`${gw.url()}${path}`);
    expect(answer.status).toBe(503);
    return hits - before;
  }

  it('rule 28: a route asking for a million retries gets 1 + 5 backend requests by default', async () => {
    const gw = await gatewayWith({});
    expect(await backendRequestsFor(gw, '/greedy')).toBe(6);
    // Below the cap the route's own number holds.
    expect(await backendRequestsFor(gw, '/modest')).toBe(3);
  });

  it('rule 28: maxRetries sets the cap; 0 turns retries off', async () => {
    expect(await backendRequestsFor(await gatewayWith({ maxRetries: 1 }), '/greedy')).toBe(2);
    expect(await backendRequestsFor(await gatewayWith({ maxRetries: 0 }), '/modest')).toBe(1);
  });

  it('rule 28: an unusable maxRetries is an InvalidOptionError naming the option', () => {
    expect(() => createProxy({ maxRetries: -1 })).toThrow(InvalidOptionError);
    expect(() => createProxy({ maxRetries: -1 })).toThrow(/maxRetries/);
  });
});
