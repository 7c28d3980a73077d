// Header hygiene on both legs: unit checks of the flat-list builders, then the same end to end
// through a gateway with a backend that answers with hop-by-hop headers of its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEchoBackend } from '@switchyard/test-kit';
import type { EchoBackend, EchoRecord } from '@switchyard/test-kit';
import { forwardingPolicy } from '../src/forwarding.js';
import {
  applyModifiers,
  downstreamHeaders,
  guardModifier,
  keepViaHop,
  upstreamHeaders,
} from '../src/headers.js';
import { staticResolver } from '../src/index.js';
import { objectsFor, startBackend, startGateway, tableFor } from './support/fixtures.js';
import type { Backend, RunningGateway } from './support/fixtures.js';
import { send } from './support/client.js';

function pairs(flat: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
}

const input = {
  host: 'example.com',
  originalHost: 'example.com',
  remoteAddress: '10.0.0.9',
  proto: 'https' as const,
  port: 443,
  forwarding: forwardingPolicy(undefined),
  requestIdHeader: 'x-request-id',
};

describe('upstreamHeaders', () => {
  it('drops hop-by-hop headers, the ones Connection names, Expect and the old Host', () => {
    const raw = [
      'Host',
      'old.example',
      'Connection',
      'keep-alive, X-Secret',
      'Keep-Alive',
      'timeout=5',
      'TE',
      'trailers',
      'Trailer',
      'x-t',
      'Transfer-Encoding',
      'chunked',
      'Upgrade',
      'h2c',
      'Proxy-Authorization',
      'Basic x',
      'Proxy-Connection',
      'keep-alive',
      'X-Secret',
      's',
      'Expect',
      '100-continue',
      'Accept',
      'text/html',
    ];
    const sink = { requestId: undefined as string | undefined };
    const out = pairs(upstreamHeaders(raw, 'keep-alive, X-Secret', input, sink, () => 'generated'));
    expect(out).toEqual([
      ['Accept', 'text/html'],
      ['host', 'example.com'],
      ['x-forwarded-for', '10.0.0.9'],
      ['x-forwarded-proto', 'https'],
      ['x-forwarded-host', 'example.com'],
      ['x-forwarded-port', '443'],
      ['forwarded', 'for=10.0.0.9;host=example.com;proto=https'],
      ['x-request-id', 'generated'],
    ]);
    expect(sink.requestId).toBe('generated');
  });

  it("decision 16: appends to X-Forwarded-For, replaces the client's -Proto, keeps a request id", () => {
    const raw = [
      'X-Forwarded-For',
      '1.1.1.1',
      'x-forwarded-for',
      '2.2.2.2',
      'X-Forwarded-Proto',
      'http',
      'X-Request-Id',
      'abc',
    ];
    const sink = { requestId: undefined as string | undefined };
    const out = pairs(upstreamHeaders(raw, undefined, input, sink, () => 'unused'));
    expect(out).toContainEqual(['x-forwarded-for', '1.1.1.1, 2.2.2.2, 10.0.0.9']);
    expect(out).toContainEqual(['x-forwarded-proto', 'https']);
    expect(out).toContainEqual(['x-request-id', 'abc']);
    expect(sink.requestId).toBe('abc');
  });

  it('skips HTTP/2 pseudo-headers and can leave X-Forwarded-* and request ids alone', () => {
    const raw = [
      ':method',
      'GET',
      ':path',
      '/',
      ':authority',
      'a.example',
      'x-forwarded-for',
      '1.1.1.1',
      'x-a',
      '1',
    ];
    const out = pairs(
      upstreamHeaders(
        raw,
        undefined,
        { ...input, forwarding: undefined, requestIdHeader: undefined },
        { requestId: undefined },
        () => 'x',
      ),
    );
    expect(out).toEqual([
      ['x-forwarded-for', '1.1.1.1'],
      ['x-a', '1'],
      ['host', 'example.com'],
    ]);
  });
});

describe('downstreamHeaders', () => {
  it('drops hop-by-hop response headers and the ones Connection names', () => {
    const raw = [
      'content-type',
      'text/plain',
      'connection',
      'keep-alive, x-internal',
      'keep-alive',
      'timeout=5',
      'transfer-encoding',
      'chunked',
      'x-internal',
      'secret',
      'proxy-authenticate',
      'Basic',
      'set-cookie',
      'a=1',
      'set-cookie',
      'b=2',
    ].map((text) => Buffer.from(text));
    expect(pairs(downstreamHeaders(raw))).toEqual([
      ['content-type', 'text/plain'],
      ['set-cookie', 'a=1'],
      ['set-cookie', 'b=2'],
    ]);
  });
});

describe('headers end to end', () => {
  let echo: EchoBackend;
  let noisy: Backend;
  let gw: RunningGateway;

  beforeAll(async () => {
    echo = await startEchoBackend({
      identity: { group: '', kind: 'Service', namespace: 'infra', name: 'echo', port: 8080 },
    });
    noisy = await startBackend((_req, res) => {
      res.setHeader('connection', 'x-internal');
      res.setHeader('x-internal', 'do not pass');
      res.setHeader('proxy-authenticate', 'Basic');
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.end('noisy');
    });
    gw = await startGateway({
      source: tableFor(
        objectsFor([
          { path: '/echo', service: 'echo' },
          { path: '/noisy', service: 'noisy' },
        ]),
      ),
      resolver: staticResolver({
        'infra/echo:8080': echo.origin,
        'infra/noisy:8080': noisy.origin,
      }),
    });
  });

  afterAll(async () => {
    await gw.close();
    await Promise.all([echo.close(), noisy.close()]);
  });

  it('sends the backend the request minus hop-by-hop headers, with forwarding headers added', async () => {
    const answer = await send(`${gw.url()}/echo/a?b=1`, {
      headers: {
        host: 'shop.example',
        connection: 'keep-alive, x-hop',
        'x-hop': 'gone',
        te: 'trailers',
        'x-keep': 'kept',
      },
    });
    const record = JSON.parse(answer.body) as EchoRecord;
    expect(record.path).toBe('/echo/a?b=1');
    expect(record.host).toBe('shop.example');
    expect(record.headers['x-keep']).toEqual(['kept']);
    for (const name of ['x-hop', 'te']) expect(record.headers[name]).toBeUndefined();
    expect(record.headers['x-forwarded-for']).toEqual(['127.0.0.1']);
    expect(record.headers['x-forwarded-proto']).toEqual(['http']);
    expect(record.headers['x-forwarded-host']).toEqual(['shop.example']);
    expect(record.headers['x-request-id']?.[0]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('passes the backend answer on minus hop-by-hop headers', async () => {
    const answer = await send(`${gw.url()}/noisy`);
    expect(answer.body).toBe('noisy');
    expect(answer.headers['x-internal']).toBeUndefined();
    expect(answer.headers['proxy-authenticate']).toBeUndefined();
    expect(answer.headers['set-cookie']).toEqual(['a=1', 'b=2']);
  });
});

describe('decision 19: modifiers never touch framing, hop-by-hop or gateway headers', () => {
  const forged = {
    set: [
      { name: 'content-length', value: '0' },
      { name: 'Transfer-Encoding', value: 'chunked' },
      { name: 'x-switchyard-error', value: 'SWY_FAKE' },
      { name: 'x-split', value: 'a\r\nx-injected: 1' },
      { name: 'x-nul', value: 'a\0b' },
      { name: 'bad name', value: 'x' },
      { name: 'x-fine', value: 'kept' },
    ],
    add: [
      { name: 'Content-Length', value: '5' },
      { name: 'connection', value: 'close' },
      { name: 'proxy-authenticate', value: 'Basic' },
    ],
    remove: ['content-length', 'x-switchyard-error', 'upgrade', 'x-gone'],
  };

  it('guardModifier keeps only the allowed entries (and returns a clean modifier unchanged)', () => {
    expect(guardModifier(forged)).toEqual({
      set: [{ name: 'x-fine', value: 'kept' }],
      add: [],
      remove: ['x-gone'],
    });
    const clean = { set: [{ name: 'x-a', value: '1' }], add: [], remove: [] };
    expect(guardModifier(clean)).toBe(clean);
  });

  it('applyModifiers leaves Content-Length and the error header as they were', () => {
    const out = pairs(
      applyModifiers(
        ['content-length', '12', 'x-switchyard-error', 'SWY_NO_ROUTE', 'x-gone', '1'],
        [forged],
      ),
    );
    expect(out).toEqual([
      ['content-length', '12'],
      ['x-switchyard-error', 'SWY_NO_ROUTE'],
      ['x-fine', 'kept'],
    ]);
  });

  it('x-switchyard-* from a client or a backend never crosses the gateway', () => {
    const up = pairs(
      upstreamHeaders(
        ['x-switchyard-error', 'SWY_X', 'x-a', '1'],
        undefined,
        input,
        { requestId: undefined },
        () => 'id',
      ),
    );
    expect(up.find(([name]) => name.startsWith('x-switchyard'))).toBeUndefined();
    const down = pairs(
      downstreamHeaders([Buffer.from('X-Switchyard-Error'), Buffer.from('SWY_X')]),
    );
    expect(down).toEqual([]);
  });
});

describe('decision 16: forwarding headers at the edge and behind trusted proxies', () => {
  const spoofed = [
    'X-Forwarded-For',
    '6.6.6.6',
    'X-Forwarded-Proto',
    'https',
    'X-Forwarded-Host',
    'evil.example',
    'X-Forwarded-Port',
    '1',
    'Forwarded',
    'for=6.6.6.6;host=evil.example',
  ];
  const run = (trusted: Parameters<typeof forwardingPolicy>[0], remote: string) =>
    pairs(
      upstreamHeaders(
        spoofed,
        undefined,
        {
          ...input,
          proto: 'http',
          port: 80,
          remoteAddress: remote,
          forwarding: forwardingPolicy(trusted),
        },
        { requestId: undefined },
        () => 'id',
      ),
    );

  it('at the edge, client values are replaced (X-Forwarded-For appended to)', () => {
    expect(run(undefined, '10.0.0.9')).toEqual(
      expect.arrayContaining([
        ['x-forwarded-for', '6.6.6.6, 10.0.0.9'],
        ['x-forwarded-proto', 'http'],
        ['x-forwarded-host', 'example.com'],
        ['x-forwarded-port', '80'],
        ['forwarded', 'for=10.0.0.9;host=example.com;proto=http'],
      ]),
    );
  });

  it('from a trusted address or CIDR, client values are kept and extended', () => {
    for (const trusted of [
      { addresses: ['10.0.0.0/8'] },
      { addresses: ['10.0.0.9'] },
      { hops: 1 },
    ]) {
      expect(run(trusted, '::ffff:10.0.0.9')).toEqual(
        expect.arrayContaining([
          ['x-forwarded-for', '6.6.6.6, 10.0.0.9'.replace('10.0.0.9', '::ffff:10.0.0.9')],
          ['x-forwarded-proto', 'https'],
          ['x-forwarded-host', 'evil.example'],
          ['x-forwarded-port', '1'],
          ['forwarded', 'for=6.6.6.6;host=evil.example, for=10.0.0.9;host=example.com;proto=http'],
        ]),
      );
    }
  });

  it('an untrusted peer next to a trusted range is still the edge', () => {
    expect(run({ addresses: ['10.0.0.0/8'] }, '192.168.1.1')).toContainEqual([
      'x-forwarded-host',
      'example.com',
    ]);
  });

  it('a bad trusted address is an option error naming the entry', () => {
    expect(() => forwardingPolicy({ addresses: ['10.0.0.0/99'] })).toThrow(/10\.0\.0\.0\/99/);
    expect(() => forwardingPolicy({ hops: -1 })).toThrow(/hops/);
  });
});

describe('keepViaHop', () => {
  it('decision 21: puts the own hop back last after a modifier removed or replaced it', () => {
    const hop = '1.1 gw';
    const untouched = ['via', '1.1 edge, 1.1 gw', 'x-a', '1'];
    expect(keepViaHop(untouched, hop)).toBe(untouched);
    expect(keepViaHop(['x-a', '1'], hop)).toEqual(['x-a', '1', 'via', '1.1 gw']);
    expect(keepViaHop(['Via', '1.1 other', 'x-a', '1'], hop)).toEqual([
      'x-a',
      '1',
      'via',
      '1.1 other, 1.1 gw',
    ]);
    expect(keepViaHop(['via', '1.1 gw, 1.1 other'], hop)).toEqual([
      'via',
      '1.1 gw, 1.1 other, 1.1 gw',
    ]);
    expect(keepViaHop(['x-a', '1'], undefined)).toEqual(['x-a', '1']);
  });
});
