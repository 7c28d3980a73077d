// Header hygiene on both legs: unit checks of the flat-list builders, then the same end to end
// through a gateway with a backend that answers with hop-by-hop headers of its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEchoBackend } from '@switchyard/test-kit';
import type { EchoBackend, EchoRecord } from '@switchyard/test-kit';
import { downstreamHeaders, upstreamHeaders } from '../src/forward/headers.js';
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
  forwarded: true,
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
      ['x-request-id', 'generated'],
    ]);
    expect(sink.requestId).toBe('generated');
  });

  it('appends to X-Forwarded-* and keeps an incoming request id', () => {
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
    expect(out).toContainEqual(['x-forwarded-proto', 'http, https']);
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
        { ...input, forwarded: false, requestIdHeader: undefined },
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
