// Decision 21 and rule 28 across gateways. Two guards keep mirror copies from looping:
// - `x-switchyard-mirror` on every copy: the gateway that receives a copy fires no mirrors for it.
//   One hop only: that gateway forwards the copy without the marker (x-switchyard-* never leaves
//   a gateway), and a client may send it too (it then only loses its own copies).
// - `Via`: a copy carries the sending gateway's `Via` hop like any forwarded request, and a route's
//   header modifier cannot take that hop off, so a copy that comes back to a gateway by any path
//   (a mirror of a mirror, a primary backend, NAT) answers 508 SWY_VIA_LOOP before it reaches a
//   backend.
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { staticResolver } from '../src/index.js';
import { objectsFor, startBackend, startGateway, tableFor } from './support/fixtures.js';
import type { Backend, RuleSpec, RunningGateway } from './support/fixtures.js';
import { send } from './support/client.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Seen {
  readonly url: string;
  readonly via: string | undefined;
  readonly mirror: boolean;
}

interface Node {
  readonly gateway: RunningGateway;
  /** What this gateway's own backend `echo` received. */
  readonly seen: Seen[];
  /** Access lines of the gateway. */
  readonly lines: { status?: number; upstream?: string }[];
  readonly map: Map<string, string>;
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

const mirrorTo = (name: string) => ({
  type: 'RequestMirror',
  requestMirror: { backendRef: { name, port: 8080 } },
});

/** A gateway `via` whose route `/` goes to `service` (`echo` or `peer`) with `filters`. */
async function node(via: string, rule: RuleSpec): Promise<Node> {
  const seen: Seen[] = [];
  const echo: Backend = await startBackend((req, res) => {
    seen.push({
      url: req.url ?? '',
      via: req.headers.via,
      mirror: req.headers['x-switchyard-mirror'] !== undefined,
    });
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  const lines: { status?: number; upstream?: string }[] = [];
  const logger = pino(
    { level: 'info' },
    { write: (line: string) => lines.push(JSON.parse(line) as { status?: number }) },
  );
  const map = new Map([['infra/echo:8080', echo.origin]]);
  const gateway = await startGateway({
    source: tableFor(objectsFor([rule], { services: ['echo', 'peer'] })),
    resolver: staticResolver(map),
    via,
    logger,
  });
  closers.push(
    () => gateway.close(),
    () => echo.close(),
  );
  return { gateway, seen, lines, map };
}

function peer(a: Node, b: Node): void {
  a.map.set('infra/peer:8080', b.gateway.url());
  b.map.set('infra/peer:8080', a.gateway.url());
}

describe('decision 21: mirror copies across gateways', () => {
  it("decision 21: A mirrors to B: the copy carries A's Via and the marker; B fires no mirror back", async () => {
    const a = await node('gateway-a', {
      path: '/',
      service: 'echo',
      extra: { filters: [mirrorTo('peer')] },
    });
    const b = await node('gateway-b', {
      path: '/',
      service: 'echo',
      extra: { filters: [mirrorTo('peer')] },
    });
    peer(a, b);
    expect((await send(`${a.gateway.url()}/start`)).status).toBe(200);
    await expect.poll(() => b.seen.length).toBe(1);
    await sleep(300);
    expect(b.seen).toEqual([{ url: '/start', via: '1.1 gateway-a, 1.1 gateway-b', mirror: false }]);
    expect(a.seen).toEqual([{ url: '/start', via: '1.1 gateway-a', mirror: false }]);
  });

  it('decision 21: A mirrors to B, B sends the copy back to A: A answers it 508 SWY_VIA_LOOP, no storm', async () => {
    const a = await node('gateway-a', {
      path: '/',
      service: 'echo',
      extra: { filters: [mirrorTo('peer')] },
    });
    // B's route leads back to A (its primary backend, and a mirror too).
    const b = await node('gateway-b', {
      path: '/',
      service: 'peer',
      extra: { filters: [mirrorTo('peer')] },
    });
    peer(a, b);
    expect((await send(`${a.gateway.url()}/start`)).status).toBe(200);
    await expect.poll(() => b.lines.filter((line) => line.status !== undefined).length).toBe(1);
    await sleep(300);
    // A's backend saw the client's request only; the copy B sent back was refused at A's intake.
    expect(a.seen).toHaveLength(1);
    const answered = b.lines.filter((line) => line.status !== undefined);
    expect(answered.map((line) => [line.status, line.upstream])).toEqual([[508, a.gateway.url()]]);
    const refused = await send(`${a.gateway.url()}/again`, {
      headers: { via: '1.1 gateway-a, 1.1 gateway-b' },
    });
    expect([refused.status, refused.headers['x-switchyard-error']]).toEqual([508, 'SWY_VIA_LOOP']);
  });

  it("decision 21: a route that removes Via still sends the gateway's own hop, on the copy and the request", async () => {
    const removeVia = {
      type: 'RequestHeaderModifier',
      requestHeaderModifier: { remove: ['Via'] },
    };
    const a = await node('gateway-a', {
      path: '/',
      service: 'echo',
      extra: { filters: [removeVia, mirrorTo('peer')] },
    });
    const b = await node('gateway-b', { path: '/', service: 'echo' });
    peer(a, b);
    const answer = await send(`${a.gateway.url()}/start`, { headers: { via: '1.1 edge' } });
    expect(answer.status).toBe(200);
    await expect.poll(() => b.seen.length).toBe(1);
    expect(a.seen[0]!.via).toBe('1.1 gateway-a');
    expect(b.seen[0]!.via).toBe('1.1 gateway-a, 1.1 gateway-b');
  });
});
