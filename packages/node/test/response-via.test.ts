// RFC 9110 7.6.3 for responses: a gateway (reverse proxy) MUST add Via to the requests it forwards
// (decision 21, always on) and MAY add it to the responses it forwards: `responseVia: true`.
// Off by default, so the pseudonym is not shown to clients.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticResolver } from '../src/index.js';
import { objectsFor, startBackend, startGateway, tableFor } from './support/fixtures.js';
import type { Backend, RunningGateway } from './support/fixtures.js';
import { send } from './support/client.js';

describe('Via on responses (RFC 9110 7.6.3)', () => {
  let backend: Backend;
  const gateways: RunningGateway[] = [];

  beforeAll(async () => {
    backend = await startBackend((req, res) => {
      const headers: Record<string, string> = {};
      if (req.url === '/with-via') headers['via'] = '1.1 upstream-cache';
      res.writeHead(200, headers).end('ok');
    });
  });

  afterAll(async () => {
    await Promise.all(gateways.map((gw) => gw.close()));
    await backend.close();
  });

  async function gateway(responseVia: boolean | undefined): Promise<RunningGateway> {
    const gw = await startGateway({
      source: tableFor(objectsFor([{ path: '/', service: 'echo' }])),
      resolver: staticResolver({ 'infra/echo:8080': backend.origin }),
      via: 'gw-resp',
      ...(responseVia === undefined ? {} : { responseVia }),
    });
    gateways.push(gw);
    return gw;
  }

  it('decision 21: by default responses carry no Via of the gateway (the backend one passes)', async () => {
    const gw = await gateway(undefined);
    expect((await send(`${gw.url()}/plain`)).headers['via']).toBeUndefined();
    expect((await send(`${gw.url()}/with-via`)).headers['via']).toBe('1.1 upstream-cache');
  });

  it("decision 21: responseVia adds the gateway's hop after the backend's", async () => {
    const gw = await gateway(true);
    expect((await send(`${gw.url()}/plain`)).headers['via']).toBe('1.1 gw-resp');
    expect((await send(`${gw.url()}/with-via`)).headers['via']).toBe(
      '1.1 upstream-cache, 1.1 gw-resp',
    );
  });
});
