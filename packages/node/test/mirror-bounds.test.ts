// Rule 28 and decision 21 for RequestMirror: mirrors cannot multiply traffic. Copies in flight are
// bounded per mirror backend (more are dropped and counted), a copy lives at most
// `mirror.timeoutMs`, and a copy is never mirrored again by the gateway it reaches, so two
// gateways mirroring to each other do not start a storm.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics, staticResolver } from '../src/index.js';
import type { ProxyMetrics } from '../src/index.js';
import { objectsFor, startBackend, startGateway, tableFor } from './support/fixtures.js';
import type { Backend, RunningGateway } from './support/fixtures.js';
import { send } from './support/client.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mirrorTo = (...names: string[]) => ({
  filters: names.map((name) => ({
    type: 'RequestMirror',
    requestMirror: { backendRef: { name, port: 8080 } },
  })),
});

describe('rule 28: bounded mirrors', () => {
  let echo: Backend;
  let echoHits = 0;
  let hanging: Backend;
  const hangingSeen: string[] = [];
  const hangingClosed: string[] = [];
  let metrics: ProxyMetrics;
  let gw: RunningGateway;

  beforeAll(async () => {
    echo = await startBackend((req, res) => {
      echoHits += 1;
      req.resume();
      req.on('end', () => res.end(JSON.stringify(req.headers)));
    });
    hanging = await startBackend((req) => {
      hangingSeen.push(req.url ?? '');
      req.resume();
      req.socket.on('close', () => hangingClosed.push(req.url ?? ''));
    });
    metrics = createMetrics();
    gw = await startGateway({
      source: tableFor(
        objectsFor(
          [
            { path: '/bounded', service: 'echo', extra: mirrorTo('hanging') },
            { path: '/copy', service: 'echo', extra: mirrorTo('echo') },
          ],
          { services: ['echo', 'hanging'] },
        ),
      ),
      resolver: staticResolver({
        'infra/echo:8080': echo.origin,
        'infra/hanging:8080': hanging.origin,
      }),
      mirror: { concurrency: 4, timeoutMs: 600 },
      metrics,
    });
  });

  afterAll(async () => {
    await gw.close();
    await Promise.all([echo.close(), hanging.close()]);
  });

  it('rule 28: copies in flight per mirror backend are bounded; the rest are dropped and counted; a copy dies after mirror.timeoutMs', async () => {
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => send(`${gw.url()}/bounded/${i}`)),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(200));
    await sleep(100);
    expect(hangingSeen).toHaveLength(4);
    const text = await metrics.registry.getSingleMetricAsString('switchyard_upstream_errors_total');
    expect(text).toContain('backend="infra/hanging:8080",error="mirror_dropped"} 6');
    // The hanging copies are cut at their lifetime, and their places come back.
    await expect.poll(() => hangingClosed.length, { timeout: 3000 }).toBe(4);
    await send(`${gw.url()}/bounded/again`);
    await expect.poll(() => hangingSeen).toContain('/bounded/again');
    const after = await metrics.registry.getSingleMetricAsString(
      'switchyard_upstream_errors_total',
    );
    expect(after).toContain('backend="infra/hanging:8080",error="mirror_timeout"} 4');
  });

  it('rule 28: a copy carries x-switchyard-mirror; a request carrying it fires no mirror', async () => {
    const before = echoHits;
    await send(`${gw.url()}/copy`);
    await expect.poll(() => echoHits - before).toBe(2);
    const marked = echoHits;
    await send(`${gw.url()}/copy`, { headers: { 'x-switchyard-mirror': '1' } });
    await sleep(200);
    expect(echoHits - marked).toBe(1);
  });
});

describe('rule 28: two gateways mirroring to each other', () => {
  let echo: Backend;
  let hits = 0;
  const gateways: RunningGateway[] = [];

  beforeAll(async () => {
    echo = await startBackend((req, res) => {
      hits += 1;
      req.resume();
      req.on('end', () => res.end('ok'));
    });
  });

  afterAll(async () => {
    await Promise.all(gateways.map((gw) => gw.close()));
    await echo.close();
  });

  it('rule 28: each mirrors twice to the other; one request makes three backend requests, not a storm', async () => {
    const peers = new Map<string, string>([['infra/echo:8080', echo.origin]]);
    const objects = objectsFor(
      [{ path: '/', service: 'echo', extra: mirrorTo('peer', 'peer-again') }],
      { services: ['echo', 'peer', 'peer-again'] },
    );
    const mapA = new Map(peers);
    const mapB = new Map(peers);
    // Two gateways in one process would share the default Via pseudonym: name them apart, as two
    // processes are.
    const a = await startGateway({
      source: tableFor(objects),
      resolver: staticResolver(mapA),
      via: 'gateway-a',
    });
    const b = await startGateway({
      source: tableFor(objects),
      resolver: staticResolver(mapB),
      via: 'gateway-b',
    });
    gateways.push(a, b);
    for (const name of ['infra/peer:8080', 'infra/peer-again:8080']) {
      mapA.set(name, b.url());
      mapB.set(name, a.url());
    }
    expect((await send(`${a.url()}/start`)).status).toBe(200);
    await sleep(500);
    // A's primary, and B's primary for each of A's two copies: B fires no mirror for a request
    // carrying x-switchyard-mirror, and a copy that came back to A anyway would carry A's
    // pseudonym in Via and be refused (508, decision 21; mirror-loops.test.ts).
    expect(hits).toBe(3);
  });
});
