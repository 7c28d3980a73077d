// Graceful shutdown: stop accepting, finish in-flight requests within the deadline, close idle
// keep-alive connections at once, cut what is left when the deadline passes; readiness drops first.
import { Agent, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { staticResolver } from '../src/index.js';
import { objectsFor, startBackend, startGateway, tableFor } from './support/fixtures.js';
import type { Backend, RunningGateway } from './support/fixtures.js';
import { send } from './support/client.js';

describe('graceful shutdown', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function setUp(): Promise<{ gw: RunningGateway; backend: Backend }> {
    const backend = await startBackend((req, res) => {
      if (req.url?.startsWith('/slow')) setTimeout(() => res.end('slow'), 400);
      else if (req.url?.startsWith('/never')) return;
      else res.end('fast');
    });
    cleanup.push(() => backend.close());
    const gw = await startGateway({
      source: tableFor(objectsFor([{ path: '/', service: 'app' }])),
      resolver: staticResolver({ 'infra/app:8080': backend.origin }),
      admin: { port: 0, host: '127.0.0.1' },
    });
    cleanup.push(() => gw.close());
    return { gw, backend };
  }

  it('finishes in-flight requests, refuses new connections, and reports not ready while draining', async () => {
    const { gw } = await setUp();
    const admin = gw.gateway.adminAddress!;
    expect((await send(`http://127.0.0.1:${admin.port}/readyz`)).status).toBe(200);
    const url = gw.url();
    const inFlight = send(`${url}/slow`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    const closing = gw.gateway.close({ graceMs: 5000 });
    expect(gw.gateway.ready).toBe(false);
    expect((await send(`http://127.0.0.1:${admin.port}/readyz`)).status).toBe(503);
    await expect(send(`${url}/fast`)).rejects.toThrow(/ECONNREFUSED/);
    const answer = await inFlight;
    expect(answer).toMatchObject({ status: 200, body: 'slow' });
    await closing;
    // Closed as soon as the last request was answered, long before the 5 s deadline.
    expect(performance.now() - started).toBeLessThan(3500);
  });

  it('closes idle keep-alive connections at once and busy ones after their answer', async () => {
    const { gw } = await setUp();
    const agent = new Agent({ connections: 2 });
    cleanup.push(() => agent.close());
    const first = await request(`${gw.url()}/fast`, { dispatcher: agent });
    expect(await first.body.text()).toBe('fast');
    const slow = request(`${gw.url()}/slow`, { dispatcher: agent });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    // The first connection is idle now: it must not hold the shutdown for the keep-alive timeout.
    const closing = gw.gateway.close({ graceMs: 5000 });
    const answer = await slow;
    expect(await answer.body.text()).toBe('slow');
    await closing;
    expect(performance.now() - started).toBeLessThan(3000); // Node's keep-alive timeout is 5 s
  });

  it('cuts what is still running when the deadline passes', async () => {
    const { gw } = await setUp();
    const hanging = send(`${gw.url()}/never`).then(
      (answer) => `answered ${answer.status}`,
      (error: Error) => `cut: ${error.message}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    await gw.gateway.close({ graceMs: 300 });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(280);
    expect(elapsed).toBeLessThan(3000);
    expect(await hanging).toMatch(/^cut: /);
    expect(gw.gateway.proxy.inFlight).toBe(0);
  });
});
