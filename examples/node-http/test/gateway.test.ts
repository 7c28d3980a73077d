// The existing node:http gateway over real sockets: the delegation example's sample requests land
// where requests.yaml says, a 404 inside a delegated prefix is Switchyard's while the old routes
// stay the old code's, and a reload that removes a team's routes changes only that team's prefix.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compile } from '@switchyard/core';
import { swappableSource } from '@switchyard/node';
import type { SwappableSource } from '@switchyard/node';
import { createExistingGateway } from '../src/gateway.js';
import type { ExistingGateway } from '../src/gateway.js';
import { MANIFESTS, loadBackendMap, loadObjects } from '../src/manifests.js';

interface Sample {
  readonly name: string;
  readonly request: {
    method: string;
    host: string;
    path: string;
    headers?: Record<string, string>;
  };
  readonly expect: {
    backend?: { namespace: string; name: string; port: number };
    upstream?: { path: string };
    status?: number;
  };
}

const samples = parse(
  readFileSync(new URL('../../delegation/requests.yaml', import.meta.url), 'utf8'),
) as Sample[];

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
}

describe('Switchyard inside an existing node:http gateway', () => {
  const servers: Server[] = [];
  let source: SwappableSource;
  let gateway: ExistingGateway;
  let origin: string;

  async function listen(server: Server): Promise<string> {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  beforeAll(async () => {
    const map: Record<string, string> = {};
    for (const key of Object.keys(loadBackendMap())) {
      map[key] = await listen(
        createServer((req, res) => {
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ served: key, path: req.url }));
        }),
      );
    }
    source = swappableSource(compile(loadObjects()).table);
    gateway = createExistingGateway({
      source,
      backends: map,
      legacy: (_req, res) => res.end('served by the old code'),
    });
    origin = await listen(createServer(gateway.handler));
  });

  afterAll(async () => {
    await gateway.proxy.close({ force: true });
    for (const server of servers) {
      server.closeAllConnections();
      server.close();
    }
  });

  function send(
    path: string,
    headers: Record<string, string> = {},
    method = 'GET',
  ): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = request(`${origin}${path}`, { method, headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString(),
          }),
        );
      });
      req.on('error', reject);
      req.end();
    });
  }

  it.each(samples)('$name', async ({ request: sample, expect: expected }) => {
    const answer = await send(sample.path, { host: sample.host, ...sample.headers }, sample.method);
    if (expected.backend === undefined) {
      expect(answer.status).toBe(expected.status);
      return;
    }
    const key = `${expected.backend.namespace}/${expected.backend.name}:${expected.backend.port}`;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toEqual({
      served: key,
      path: expected.upstream?.path ?? sample.path,
    });
  });

  it('answers a 404 inside a delegated prefix itself, and leaves the rest to the old code', async () => {
    const inside = await send('/banking/loans', { host: 'api.example.com' });
    expect(inside.status).toBe(404);
    expect(inside.headers['x-switchyard-error']).toBe('SWY_NO_ROUTE');
    expect(await send('/health', { host: 'api.example.com' })).toMatchObject({
      status: 200,
      text: '{"status":"ok"}',
    });
    expect(await send('/legacy/report', { host: 'api.example.com' })).toMatchObject({
      status: 200,
      text: 'served by the old code',
    });
    const nowhere = await send('/nothing', { host: 'api.example.com' });
    expect(nowhere.status).toBe(404);
    expect(nowhere.headers['x-switchyard-error']).toBeUndefined();
  });

  it('reloads without a restart; a team deleting its routes changes only its own prefix', async () => {
    const before = await send('/insurance/quotes', { host: 'api.example.com' });
    source.swap(compile(loadObjects(MANIFESTS.filter((f) => f !== 'banking/routes.yaml'))).table);
    try {
      // Rule 16: the banking delegation has no valid child left, so /banking answers 500 in its
      // own place; insurance is untouched.
      const banking = await send('/banking/accounts', { host: 'api.example.com' });
      expect(banking.status).toBe(500);
      expect(await send('/insurance/quotes', { host: 'api.example.com' })).toEqual(
        expect.objectContaining({ status: before.status, text: before.text }),
      );
    } finally {
      source.swap(compile(loadObjects()).table);
    }
  });
});
