// Bodies a body parser read before Switchyard saw the request are still forwarded intact, in
// Express 5 and 4: byte for byte when the raw bytes were kept, else written back in their type.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticResolver } from '@switchyard/node';
import type { NextFunction, Request, Response } from 'express';
import { keepRawBody, switchyard } from '../src/index.js';
import type { SwitchyardMiddleware } from '../src/index.js';
import { startCaptureBackend } from '@switchyard/test-kit';
import type { CaptureBackend } from '@switchyard/test-kit';
import { send } from '@switchyard/test-kit';
import { flavours } from './support/flavours.js';
import { worldTable } from '@switchyard/test-kit';

describe.each(flavours)('$name: bodies read by a parser before the middleware', (flavour) => {
  let banking: CaptureBackend;
  let middleware: SwitchyardMiddleware;
  let server: Server;
  let origin: string;

  beforeAll(async () => {
    banking = await startCaptureBackend('banking');
    middleware = switchyard({
      source: worldTable(),
      resolver: staticResolver({ 'infra/banking:8080': banking.origin }),
      logger: false,
    });
    const app = flavour.express();
    app.use(flavour.json({ type: 'application/vnd.exact+json', verify: keepRawBody }));
    app.use(flavour.json());
    app.use(flavour.urlencoded({ extended: true }));
    app.use(flavour.text());
    app.use(flavour.raw({ type: 'application/octet-stream' }));
    // Something that drains the stream and keeps nothing: the body is gone for good.
    app.use('/banking/drained', (req: Request, _res: Response, next: NextFunction) => {
      req.on('end', () => next());
      req.resume();
    });
    app.use(middleware);
    app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => {
      res.status(500).json({ error: error.name });
    });
    server = createServer(app);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    server.close();
    await middleware.close();
    await banking.close();
  });

  async function forward(
    contentType: string,
    body: string | Buffer,
    headers: Record<string, string> = {},
  ) {
    const answer = await send(origin, '/banking/in', {
      method: 'POST',
      headers: { 'content-type': contentType, ...headers },
      body,
    });
    expect(answer.status).toBe(200);
    const received = banking.received.at(-1)!;
    expect(received.headers['content-length']).toBe(String(received.body.length));
    return received;
  }

  it('sends the kept raw bytes unchanged (keepRawBody)', async () => {
    const body = '{ "amount" : 12.50,\n  "note": "caf\\u00e9" }';
    const received = await forward('application/vnd.exact+json', body);
    expect(received.body.toString()).toBe(body);
  });

  it('writes a parsed JSON body back as the same document', async () => {
    const body = JSON.stringify({ amount: 12, items: [1, 2], nested: { ok: true } });
    const received = await forward('application/json', body);
    expect(received.body.toString()).toBe(body);
  });

  it('writes a parsed form back with repeated keys and nested values', async () => {
    const body = 'a=1&b=x+y&b=z&card%5Bnumber%5D=4242';
    const received = await forward('application/x-www-form-urlencoded', body);
    expect(received.body.toString()).toBe(body);
  });

  it('sends text and binary bodies as they came', async () => {
    expect((await forward('text/plain', 'plain words\n')).body.toString()).toBe('plain words\n');
    const binary = Buffer.from([0, 1, 2, 253, 254, 255]);
    expect((await forward('application/octet-stream', binary)).body.equals(binary)).toBe(true);
  });

  it('drops a Content-Encoding the parser decoded', async () => {
    const document = JSON.stringify({ zipped: true });
    const received = await forward('application/json', gzipSync(document), {
      'content-encoding': 'gzip',
    });
    expect(received.body.toString()).toBe(document);
    expect(received.headers['content-encoding']).toBeUndefined();
  });

  it('streams a body no parser touched', async () => {
    const body = '<order><amount>12</amount></order>';
    const received = await forward('application/xml', body);
    expect(received.body.toString()).toBe(body);
  });

  it('refuses to forward a body that is gone, instead of sending a truncated request', async () => {
    const before = banking.received.length;
    const answer = await send(origin, '/banking/drained', {
      method: 'POST',
      headers: { 'content-type': 'application/x-unknown' },
      body: 'lost',
    });
    expect(answer.status).toBe(500);
    expect(JSON.parse(answer.body)).toEqual({ error: 'SpentBodyError' });
    expect(banking.received.length).toBe(before);
  });
});
