// Rule 28 (bounded side effects): one team's slow or stalled clients cannot exhaust the
// connections to its backend or anyone else's. Before, 128 clients trickling a request body
// pinned all 128 pooled connections to that backend until Node's 300 s timeout.
import { connect as connectHttp2 } from 'node:http2';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidOptionError, createProxy, staticResolver } from '../src/index.js';
import type { GatewayOptions } from '../src/index.js';
import { objectsFor, startBackend, startGateway, tableFor } from './support/fixtures.js';
import type { Backend, RunningGateway } from './support/fixtures.js';
import { isShortError, send } from './support/client.js';

/** Opens a request with a declared body of `length` bytes and sends only `sent` of them. */
function partialRequest(port: number, path: string, length: number, sent: number): Socket {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  socket.write(
    `POST ${path} HTTP/1.1\r\nhost: example.com\r\ncontent-length: ${length}\r\n\r\n` +
      'x'.repeat(sent),
  );
  return socket;
}

/** Everything the server sends until it closes the connection (or `ms` pass). */
function readAll(socket: Socket, ms = 5000): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => resolve(Buffer.concat(chunks).toString('latin1')), ms);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('rule 28: slow bodies and full pools do not exhaust a backend', () => {
  let banking: Backend;
  let other: Backend;
  let hold: Backend;
  let big: Backend;
  const bigOutcomes: string[] = [];
  const bankingSeen: string[] = [];
  const bankingAborted: string[] = [];
  const held: (() => void)[] = [];
  const gateways: RunningGateway[] = [];

  beforeAll(async () => {
    banking = await startBackend((req, res) => {
      bankingSeen.push(req.url ?? '');
      req.on('close', () => {
        if (!req.complete) bankingAborted.push(req.url ?? '');
      });
      req.resume();
      req.on('end', () => res.end('banking'));
    });
    other = await startBackend((req, res) => {
      req.resume();
      req.on('end', () => res.end('other team'));
    });
    // 64 MiB, far more than socket buffers hold: a client that does not read stalls it.
    big = await startBackend((req, res) => {
      const chunk = Buffer.alloc(64 * 1024, 98);
      let left = 1024;
      res.on('close', () => bigOutcomes.push(res.writableFinished ? 'finished' : 'cut'));
      const pump = (): void => {
        while (left > 0) {
          left -= 1;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      if (req.url?.includes('small')) res.end('small');
      else pump();
    });
    hold = await startBackend((req, res) => {
      req.resume();
      held.push(() => res.end('released'));
    });
  });

  afterAll(async () => {
    for (const release of held) release();
    await Promise.all(gateways.map((gw) => gw.close()));
    await Promise.all([banking.close(), other.close(), hold.close(), big.close()]);
  });

  async function gateway(options: Partial<GatewayOptions> = {}): Promise<RunningGateway> {
    const gw = await startGateway({
      source: tableFor(
        objectsFor([
          { path: '/banking', service: 'banking' },
          { path: '/other', service: 'other' },
          { path: '/hold', service: 'hold' },
          { path: '/big', service: 'big' },
        ]),
      ),
      resolver: staticResolver({
        'infra/banking:8080': banking.origin,
        'infra/other:8080': other.origin,
        'infra/hold:8080': hold.origin,
        'infra/big:8080': big.origin,
      }),
      ...options,
    });
    gateways.push(gw);
    return gw;
  }

  it('rule 28: 128 clients trickling bodies to one backend; other teams and fast requests to it still succeed', async () => {
    const gw = await gateway();
    const port = gw.gateway.addressFor(80)!.port;
    const slow: Socket[] = [];
    for (let i = 0; i < 128; i++) slow.push(partialRequest(port, `/banking/slow-${i}`, 1000, 1));
    // A byte now and then: never idle long enough for a timeout, never finished.
    const trickle = setInterval(() => {
      for (const socket of slow) socket.write('x');
    }, 200);
    try {
      await expect.poll(() => gw.gateway.proxy.inFlight, { timeout: 5000 }).toBe(128);
      const started = performance.now();
      const answers = await Promise.all([
        ...Array.from({ length: 20 }, (_, i) => send(`${gw.url()}/other/${i}`)),
        ...Array.from({ length: 20 }, (_, i) =>
          send(`${gw.url()}/banking/fast-${i}`, { method: 'POST', body: 'payload' }),
        ),
      ]);
      expect(answers.map((answer) => answer.status)).toEqual(Array(40).fill(200));
      expect(performance.now() - started).toBeLessThan(5000);
      // The trickling requests hold no backend connection: the backend has not seen one.
      expect(bankingSeen.filter((url) => url.includes('slow'))).toEqual([]);
    } finally {
      clearInterval(trickle);
      for (const socket of slow) socket.destroy();
    }
  });

  it('rule 28: clients trickling large (streamed) bodies hold at most half the connections; the rest serve fast requests', async () => {
    const gw = await gateway({ pool: { connections: 4 }, body: { bufferBytes: 1024 } });
    const port = gw.gateway.addressFor(80)!.port;
    const slow = [1, 2, 3, 4].map((i) =>
      partialRequest(port, `/banking/large-${i}`, 100_000, 2048),
    );
    const answers = slow.map((socket) => readAll(socket, 3000));
    const trickle = setInterval(() => {
      for (const socket of slow) if (!socket.destroyed) socket.write('x');
    }, 100);
    try {
      await expect.poll(() => bankingSeen.filter((url) => url.includes('large')).length).toBe(2);
      await sleep(100);
      expect(bankingSeen.filter((url) => url.includes('large'))).toHaveLength(2);
      const fast = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          send(`${gw.url()}/banking/quick-${i}`, { method: 'POST', body: 'small' }),
        ),
      );
      expect(fast.map((answer) => answer.status)).toEqual(Array(6).fill(200));
    } finally {
      clearInterval(trickle);
      for (const socket of slow) socket.destroy();
    }
    const refused = (await Promise.all(answers)).filter((raw) =>
      raw.includes('SWY_BACKEND_SATURATED'),
    );
    expect(refused).toHaveLength(2);
  });

  it('rule 28: past body.bufferTotalBytes, bodies are streamed rather than held in memory', async () => {
    const gw = await gateway({ body: { bufferBytes: 1024, bufferTotalBytes: 2048 } });
    const port = gw.gateway.addressFor(80)!.port;
    const sockets = [1, 2, 3].map((i) => partialRequest(port, `/banking/budget-${i}`, 500, 10));
    try {
      // The third found the budget spent: its request went to the backend while its body arrives.
      await expect.poll(() => bankingSeen).toContain('/banking/budget-3');
      await sleep(100);
      expect(bankingSeen).not.toContain('/banking/budget-1');
      expect(bankingSeen).not.toContain('/banking/budget-2');
    } finally {
      for (const socket of sockets) socket.destroy();
    }
    // Their budget comes back when they end: the next body is read first again.
    await expect.poll(() => gw.gateway.proxy.inFlight).toBe(0);
    const socket = partialRequest(port, '/banking/budget-4', 500, 10);
    await sleep(200);
    expect(bankingSeen).not.toContain('/banking/budget-4');
    socket.destroy();
  });

  it('rule 28: a body that stops before the backend is asked answers 408 SWY_BODY_TIMEOUT; the backend sees nothing', async () => {
    const gw = await gateway({ body: { idleTimeoutMs: 300 } });
    const socket = partialRequest(gw.gateway.addressFor(80)!.port, '/banking/stalled', 100, 10);
    const raw = await readAll(socket);
    expect(raw).toMatch(/^HTTP\/1\.1 408 /);
    expect(raw.toLowerCase()).toContain('x-switchyard-error: swy_body_timeout');
    expect(raw.toLowerCase()).toContain('connection: close');
    expect(bankingSeen).not.toContain('/banking/stalled');
  });

  it('rule 28: a streamed body that stops answers 408, aborts the backend request and frees its connection', async () => {
    const gw = await gateway({
      body: { idleTimeoutMs: 300, bufferBytes: 1024 },
      pool: { connections: 1 },
    });
    const socket = partialRequest(
      gw.gateway.addressFor(80)!.port,
      '/banking/streamed',
      100_000,
      4096,
    );
    const raw = await readAll(socket);
    expect(raw).toMatch(/^HTTP\/1\.1 408 /);
    await expect.poll(() => bankingAborted).toContain('/banking/streamed');
    // The only connection to the backend is free again.
    const next = await send(`${gw.url()}/banking/after`, { method: 'POST', body: 'x' });
    expect(next.status).toBe(200);
  });

  it('rule 28: a body trickled past body.readTimeoutMs answers 408, however steady the trickle', async () => {
    const gw = await gateway({ body: { idleTimeoutMs: 300, readTimeoutMs: 700 } });
    const socket = partialRequest(gw.gateway.addressFor(80)!.port, '/banking/trickle', 1000, 1);
    const trickle = setInterval(() => socket.write('x'), 50);
    const started = performance.now();
    const raw = await readAll(socket);
    clearInterval(trickle);
    expect(raw).toMatch(/^HTTP\/1\.1 408 /);
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('rule 28: a full queue answers 503 SWY_BACKEND_SATURATED at once; the requests in it are served', async () => {
    const gw = await gateway({ pool: { connections: 1, maxQueued: 1, queueTimeoutMs: 0 } });
    const first = send(`${gw.url()}/hold/1`);
    await expect.poll(() => held.length).toBe(1);
    const second = send(`${gw.url()}/hold/2`);
    await expect.poll(() => gw.gateway.proxy.inFlight).toBe(2);
    const third = await send(`${gw.url()}/hold/3`);
    expect(third.status).toBe(503);
    expect(isShortError(third, 'SWY_BACKEND_SATURATED')).toBe(true);
    expect(third.headers['x-switchyard-backend']).toBe('infra/hold:8080');
    // Another backend on the same gateway is unaffected.
    expect((await send(`${gw.url()}/other/x`)).status).toBe(200);
    held.shift()!();
    await expect.poll(() => held.length).toBe(1);
    held.shift()!();
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
  });

  it('rule 28: a request that waits pool.queueTimeoutMs for a connection answers 503', async () => {
    const gw = await gateway({ pool: { connections: 1, queueTimeoutMs: 200 } });
    const first = send(`${gw.url()}/hold/a`);
    await expect.poll(() => held.length).toBe(1);
    const started = performance.now();
    const waited = await send(`${gw.url()}/hold/b`);
    expect(waited.status).toBe(503);
    expect(isShortError(waited, 'SWY_BACKEND_SATURATED')).toBe(true);
    expect(performance.now() - started).toBeLessThan(2000);
    held.shift()!();
    expect((await first).status).toBe(200);
    // The timed-out request was never sent: the next one takes the freed connection.
    await sleep(50);
    const next = send(`${gw.url()}/hold/c`);
    await expect.poll(() => held.length).toBe(1);
    held.shift()!();
    expect((await next).status).toBe(200);
  });

  it('rule 28: over HTTP/2, small and large bodies arrive whole and a stalled one answers 408', async () => {
    const gw = await gateway({ http2: { cleartext: true }, body: { idleTimeoutMs: 300 } });
    const session = connectHttp2(gw.url());
    session.on('error', () => undefined);
    const post = (path: string, body: Buffer | undefined, end: boolean) =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const stream = session.request({ ':method': 'POST', ':path': path, host: 'example.com' });
        let status = 0;
        const chunks: Buffer[] = [];
        stream.on('response', (headers) => (status = Number(headers[':status'])));
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => resolve({ status, text: Buffer.concat(chunks).toString() }));
        stream.on('error', reject);
        if (body !== undefined) stream.write(body);
        if (end) stream.end();
      });
    try {
      const before = bankingSeen.length;
      expect(await post('/banking/h2-small', Buffer.alloc(100, 120), true)).toEqual({
        status: 200,
        text: 'banking',
      });
      expect(await post('/banking/h2-large', Buffer.alloc(200_000, 120), true)).toEqual({
        status: 200,
        text: 'banking',
      });
      expect(bankingSeen.length - before).toBe(2);
      const stalled = await post('/banking/h2-stalled', Buffer.alloc(10, 120), false);
      expect(stalled.status).toBe(408);
    } finally {
      session.destroy();
    }
  });

  it('rule 28: a client that stops reading a response is cut after response.stallTimeoutMs; the backend connection is freed', async () => {
    const gw = await gateway({ response: { stallTimeoutMs: 300 }, pool: { connections: 1 } });
    const socket = connect(gw.gateway.addressFor(80)!.port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.write('GET /big/stream HTTP/1.1\r\nhost: example.com\r\n\r\n');
    socket.pause();
    await expect.poll(() => bigOutcomes, { timeout: 5000 }).toContain('cut');
    await expect.poll(() => gw.gateway.proxy.inFlight).toBe(0);
    socket.destroy();
    // The pool's only connection serves the next request.
    const next = await send(`${gw.url()}/big/small`);
    expect(next.body).toBe('small');
  });

  it('rule 28: an unusable bound is an InvalidOptionError naming the option', () => {
    const cases = [
      [{ pool: { maxQueued: -1 } }, 'pool.maxQueued'],
      [{ pool: { maxStreamingBodies: -1 } }, 'pool.maxStreamingBodies'],
      [{ pool: { queueTimeoutMs: Number.NaN } }, 'pool.queueTimeoutMs'],
      [{ body: { idleTimeoutMs: -5 } }, 'body.idleTimeoutMs'],
      [{ body: { bufferBytes: Number.NaN } }, 'body.bufferBytes'],
      [{ mirror: { concurrency: -1 } }, 'mirror.concurrency'],
      [{ response: { stallTimeoutMs: -1 } }, 'response.stallTimeoutMs'],
    ] as const;
    for (const [options, name] of cases) {
      expect(() => createProxy(options)).toThrow(InvalidOptionError);
      expect(() => createProxy(options)).toThrow(name);
    }
  });
});
