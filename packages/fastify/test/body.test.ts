// Bodies in an app whose parsers would read them, in Fastify 5 and 4: Switchyard decides before
// any parser runs, so a routed request's body is streamed to the backend byte for byte, while the
// app's own routes still get theirs parsed.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticResolver } from '@switchyard/node';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { switchyard } from '../src/index.js';
import { startCaptureBackend } from '@switchyard/test-kit';
import type { CaptureBackend } from '@switchyard/test-kit';
import { send } from '@switchyard/test-kit';
import { flavours } from './support/flavours.js';
import { worldTable } from '@switchyard/test-kit';

describe.each(flavours)('$name: bodies Fastify would parse', (flavour) => {
  let banking: CaptureBackend;
  let app: FastifyInstance;
  let origin: string;

  beforeAll(async () => {
    banking = await startCaptureBackend('banking');
    app = flavour.create();
    app.addContentTypeParser('application/x-thing', { parseAs: 'string' }, (_req, body, done) =>
      done(null, { thing: body }),
    );
    app.post('/api/echo', async (request: FastifyRequest) => ({ parsed: request.body }));
    await app.register(switchyard, {
      source: worldTable(),
      resolver: staticResolver({ 'infra/banking:8080': banking.origin }),
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    origin = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  });

  afterAll(async () => {
    await app.close();
    await banking.close();
  });

  async function forward(contentType: string, body: string | Buffer, chunked = false) {
    const headers: Record<string, string> = { 'content-type': contentType };
    if (chunked) headers['transfer-encoding'] = 'chunked';
    const answer = await send(origin, '/banking/in', { method: 'POST', headers, body });
    expect(answer.status).toBe(200);
    return banking.received.at(-1)!;
  }

  it('forwards JSON exactly as sent, whitespace and escapes included', async () => {
    const body = '{ "amount" : 12.50,\n  "note": "caf\\u00e9" }';
    expect((await forward('application/json', body)).body.toString()).toBe(body);
  });

  it('forwards a type the app has a custom parser for, and one nobody parses', async () => {
    expect((await forward('application/x-thing', 'raw thing')).body.toString()).toBe('raw thing');
    const binary = randomBytes(64);
    expect((await forward('application/octet-stream', binary)).body.equals(binary)).toBe(true);
  });

  it('streams a large chunked body unchanged', async () => {
    const large = randomBytes(2 * 1024 * 1024);
    const received = await forward('application/octet-stream', large, true);
    expect(received.body.equals(large)).toBe(true);
  });

  it("still parses bodies for the app's own routes", async () => {
    const json = await send(origin, '/api/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(JSON.parse(json.body)).toEqual({ parsed: { a: 1 } });
    const thing = await send(origin, '/api/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/x-thing' },
      body: 'raw thing',
    });
    expect(JSON.parse(thing.body)).toEqual({ parsed: { thing: 'raw thing' } });
  });
});
