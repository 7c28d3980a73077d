// The echo backend over real sockets: what it reports, and every FORMAT.md knob it honours.
import { connect } from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ECHO_BACKEND_HEADER, readKnobs, startEchoBackend } from '../src/index.js';
import type { EchoBackend, EchoRecord } from '../src/index.js';

const identity = { group: '', kind: 'Service', namespace: 'infra', name: 'echo', port: 8080 };

describe('readKnobs', () => {
  it('reads delay, set-header and retry knobs', () => {
    const knobs = readKnobs(
      '/retry/x?uuid=u1&succeedAfter=2&responseCode=503&delayRetry=300ms&delay=1s',
      'a:1, b : two',
    );
    expect(knobs.delayMs).toBe(1000);
    expect(knobs.setHeaders).toEqual([
      ['a', '1'],
      ['b', 'two'],
    ]);
    expect(knobs.retry).toEqual({
      uuid: 'u1',
      succeedAfter: 2,
      responseCode: 503,
      delayRetryMs: 300,
    });
  });

  it('has no retry knob outside /retry/ or without a uuid', () => {
    expect(readKnobs('/x?uuid=u1&succeedAfter=2', undefined).retry).toBeUndefined();
    expect(readKnobs('/retry/x?succeedAfter=2', undefined).retry).toBeUndefined();
  });
});

describe('echo backend (HTTP/1.1)', () => {
  let echo: EchoBackend;
  beforeAll(async () => {
    echo = await startEchoBackend({ identity });
  });
  afterAll(() => echo.close());

  it('answers with what it received and who it is', async () => {
    const response = await fetch(`${echo.origin}/some/path?q=1`, {
      method: 'POST',
      headers: { 'x-one': 'a', host: 'example.com' },
      body: 'hello',
    });
    const body = (await response.json()) as EchoRecord;
    expect(response.headers.get(ECHO_BACKEND_HEADER)).toBe('infra/echo:8080');
    expect(body).toMatchObject({
      echo: 'switchyard-echo',
      backend: identity,
      method: 'POST',
      path: '/some/path?q=1',
      bodyBytes: 5,
    });
    expect(body.headers['x-one']).toEqual(['a']);
    expect(echo.records.at(-1)?.path).toBe('/some/path?q=1');
  });

  it('sets the headers x-echo-set-header asks for', async () => {
    const response = await fetch(`${echo.origin}/`, {
      headers: { 'x-echo-set-header': 'x-a:1,x-b:2' },
    });
    expect(response.headers.get('x-a')).toBe('1');
    expect(response.headers.get('x-b')).toBe('2');
  });

  it('delays the answer with ?delay=', async () => {
    const started = performance.now();
    await (await fetch(`${echo.origin}/?delay=150ms`)).text();
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('fails the first N attempts of a uuid with the given code, as plain text', async () => {
    const url = `${echo.origin}/retry/r?uuid=a1&succeedAfter=2&responseCode=503`;
    const first = await fetch(url);
    expect(first.status).toBe(503);
    expect(first.headers.get('content-type')).toBe('text/plain');
    await first.text();
    expect((await fetch(url).then(async (r) => [r.status, await r.text()]))[0]).toBe(503);
    const third = await fetch(url);
    expect(third.status).toBe(200);
    expect(((await third.json()) as EchoRecord).echo).toBe('switchyard-echo');
  });

  it('resets the connection for failing attempts without a response code', async () => {
    const url = `${echo.origin}/retry/r?uuid=a2&succeedAfter=1`;
    await expect(fetch(url)).rejects.toThrow();
    expect((await fetch(url)).status).toBe(200);
  });

  it('delays failing attempts by delayRetry', async () => {
    const started = performance.now();
    const response = await fetch(
      `${echo.origin}/retry/r?uuid=a3&succeedAfter=1&responseCode=500&delayRetry=120ms`,
    );
    await response.text();
    expect(response.status).toBe(500);
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('echoes WebSocket frames and names itself on the handshake', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${echo.port}/ws`);
    const upgrade = new Promise<string | undefined>((resolve) =>
      ws.on('upgrade', (res) => resolve(res.headers[ECHO_BACKEND_HEADER] as string | undefined)),
    );
    await new Promise((resolve) => ws.on('open', resolve));
    const messages: [string, boolean][] = [];
    const done = new Promise<void>((resolve) =>
      ws.on('message', (data, binary) => {
        messages.push([Buffer.from(data as Buffer).toString('hex'), binary]);
        if (messages.length === 2) resolve();
      }),
    );
    ws.send('hi');
    ws.send(Buffer.from([1, 2, 3]));
    await done;
    ws.close();
    expect(await upgrade).toBe('infra/echo:8080');
    expect(messages).toEqual([
      [Buffer.from('hi').toString('hex'), false],
      ['010203', true],
    ]);
    expect(echo.records.some((record) => record.upgrade && record.path === '/ws')).toBe(true);
  });

  it('waits for a record that arrives later', async () => {
    const waiting = echo.waitFor((record) => record.path === '/later', 1000);
    await (await fetch(`${echo.origin}/later`)).text();
    expect((await waiting)?.path).toBe('/later');
    expect(await echo.waitFor((record) => record.path === '/never', 20)).toBeUndefined();
  });
});

describe('echo backend (h2c)', () => {
  let echo: EchoBackend;
  beforeAll(async () => {
    echo = await startEchoBackend({ identity: { ...identity, port: 8081 }, protocol: 'h2c' });
  });
  afterAll(() => echo.close());

  it('speaks cleartext HTTP/2 with prior knowledge', async () => {
    const session = connect(echo.origin);
    const stream = session.request({ ':path': '/h2?x=1', ':authority': 'example.com' });
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    await new Promise((resolve) => stream.on('end', resolve));
    session.close();
    const body = JSON.parse(Buffer.concat(chunks).toString()) as EchoRecord;
    expect(body).toMatchObject({ httpVersion: '2.0', path: '/h2?x=1', host: 'example.com' });
  });
});
