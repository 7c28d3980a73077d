/**
 * `serve`'s intake flags and address facts through the built CLI, with real sockets: a backend in
 * this process records what reaches it.
 *
 * - `--trusted-proxies` / `--trusted-hops` (decision 16): a trusted peer's X-Forwarded-Proto is
 *   kept, an untrusted one's is replaced by what the gateway saw.
 * - `--via` (decision 21): the pseudonym is added to Via, and a request already carrying it is a
 *   loop (508 SWY_VIA_LOOP).
 * - `--upgrades` (decision 17): only the listed protocols are tunnelled.
 * - Rule 27: a Backend at the gateway's own admin or listener port is `self-target`, at a Service
 *   of another namespace's address (from the backend map) `backend-address-of-foreign-service`,
 *   both at start and on reload.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runBuilt, startBuilt, type RunningCli } from './helpers/built-cli.js';

const MANIFESTS = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: gw, namespace: default }
spec:
  gatewayClassName: switchyard
  listeners: [{ name: http, protocol: HTTP, port: 8080 }]
---
apiVersion: v1
kind: Service
metadata: { name: echo, namespace: default }
spec: { ports: [{ port: 80 }] }
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: echo, namespace: default }
spec:
  parentRefs: [{ name: gw }]
  rules: [{ backendRefs: [{ name: echo, port: 80 }] }]
`;

const backendAt = (namespace: string, name: string, port: number) => `
apiVersion: gateway.kgateway.dev/v1alpha1
kind: Backend
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  type: Static
  static: { hosts: [{ host: 127.0.0.1, port: ${port} }] }
`;

/** What the backend saw last. */
let seen: IncomingHttpHeaders = {};
let backend: Server;
let backendPort: number;
let scratch: string;
const running: RunningCli[] = [];

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Serves `dir` with the flags; resolves with the process and the listener's base URL. */
async function serve(
  dir: string,
  flags: string[],
): Promise<{ cli: RunningCli; base: string; banner: string }> {
  const cli = startBuilt(
    [
      'serve',
      dir,
      '--port',
      '8080=0',
      '--backend',
      `default/echo:80=http://127.0.0.1:${backendPort}`,
      '--debounce',
      '50',
      '--log-level',
      'silent',
      ...flags,
    ],
    { cwd: scratch },
  );
  running.push(cli);
  const banner = await cli.waitFor(/Ctrl-C to stop/, 60_000);
  const found = /listener http :8080 {2}→ {2}(http:\/\/\S+)/.exec(banner);
  if (!found) throw new Error(`no listener address in:\n${banner}`);
  return { cli, base: found[1]!, banner };
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
}

/** One request; a 101 answer (an upgrade the gateway tunnelled) resolves too. */
function get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, headers: res.headers });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Writes `<name>.yaml` (the manifests and `extra`) into the scratch folder; returns its name. */
function manifestFile(name: string, extra = ''): string {
  writeFileSync(join(scratch, `${name}.yaml`), MANIFESTS + extra);
  return `${name}.yaml`;
}

beforeAll(async () => {
  await ensureBuilt(['core', 'node', 'cli']);
  scratch = mkdtempSync(join(tmpdir(), 'switchyard-serve-flags-'));
  backend = createServer((req, res) => {
    seen = req.headers;
    res.end('ok');
  });
  // An upgrade the gateway tunnels reaches the backend as an upgrade: answer it with 101.
  backend.on('upgrade', (req, socket) => {
    seen = req.headers;
    socket.end(
      `HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: ${String(req.headers.upgrade)}\r\n\r\n`,
    );
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  backendPort = (backend.address() as { port: number }).port;
}, 240_000);

afterAll(async () => {
  for (const cli of running) await cli.stop();
  await new Promise<void>((resolve) => backend?.close(() => resolve()));
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('serve --trusted-proxies, --via, --upgrades, --admin-port and rule-27 address findings', () => {
  let base: string;
  let banner: string;
  let cli: RunningCli;
  let adminPort: number;

  beforeAll(async () => {
    adminPort = await freePort();
    // A Backend at the admin port (self-target) and one in another namespace at echo's address.
    const file = manifestFile(
      'trusted',
      `---${backendAt('default', 'loop', adminPort)}---${backendAt('other', 'sidedoor', backendPort)}`,
    );
    ({ cli, base, banner } = await serve(file, [
      '--admin-port',
      String(adminPort),
      '--trusted-proxies',
      '10.0.0.0/8,127.0.0.1/32',
      '--via',
      'edge-1',
      '--upgrades',
      'foo-proto',
    ]));
  }, 120_000);

  it('decision 16: a trusted peer’s X-Forwarded-Proto is kept', async () => {
    const answer = await get(`${base}/`, { 'x-forwarded-proto': 'https' });
    expect(answer.status).toBe(200);
    expect(seen['x-forwarded-proto']).toBe('https');
  });

  it('decision 21: the --via pseudonym is sent to the backend', async () => {
    await get(`${base}/`);
    expect(seen.via).toBe('1.1 edge-1');
  });

  it('decision 21: a request whose Via already names the pseudonym is a loop (508)', async () => {
    const answer = await get(`${base}/`, { via: '1.1 edge-1' });
    expect(answer.status).toBe(508);
    expect(answer.headers['x-switchyard-error']).toBe('SWY_VIA_LOOP');
  });

  it('decision 17: a protocol in --upgrades is tunnelled, websocket (not listed) is not', async () => {
    const foo = await get(`${base}/`, { connection: 'Upgrade', upgrade: 'foo-proto' });
    expect(foo.status).toBe(101);
    expect(seen.upgrade).toBe('foo-proto');
    const ws = await get(`${base}/`, { connection: 'Upgrade', upgrade: 'websocket' });
    expect(ws.status).toBe(200);
    expect(seen.upgrade).toBeUndefined();
  });

  it('rule 27: the banner reports a Backend at the admin port (self-target) and at another namespace’s Service address', () => {
    expect(banner).toMatch(
      new RegExp(
        `Backend default/loop: 127\\.0\\.0\\.1:${adminPort} is one of the gateway's own addresses.*\\[self-target\\]`,
      ),
    );
    expect(banner).toMatch(
      new RegExp(
        `Backend other/sidedoor: 127\\.0\\.0\\.1:${backendPort} is an address of Service default/echo.*\\[backend-address-of-foreign-service\\]`,
      ),
    );
  });

  it('rule 27: a reload reports a Backend at the listener port serve bound (self-target)', async () => {
    const listenerPort = Number(new URL(base).port);
    writeFileSync(
      join(scratch, 'trusted.yaml'),
      MANIFESTS + `---${backendAt('default', 'again', listenerPort)}`,
    );
    const output = await cli.waitFor(
      new RegExp(
        `reload: changed trusted\\.yaml[\\s\\S]*Backend default/again: 127\\.0\\.0\\.1:${listenerPort} is one of the gateway's own addresses.*\\[self-target\\]`,
      ),
      60_000,
    );
    expect(output.slice(banner.length)).toContain('reload: changed trusted.yaml');
  }, 90_000);
});

describe('serve trust: --trusted-hops and an address list that misses the peer', () => {
  it('decision 16: --trusted-hops 1 trusts every peer; the default websocket upgrade is tunnelled', async () => {
    const { base } = await serve(manifestFile('hops'), ['--trusted-hops', '1']);
    await get(`${base}/`, { 'x-forwarded-proto': 'https' });
    expect(seen['x-forwarded-proto']).toBe('https');
    const ws = await get(`${base}/`, { connection: 'Upgrade', upgrade: 'websocket' });
    expect(ws.status).toBe(101);
    // No --via: a per-process pseudonym.
    expect(seen.via).toMatch(/^1\.1 switchyard-[0-9a-f]{8}$/);
  }, 120_000);

  it('decision 16: a peer outside --trusted-proxies has its X-Forwarded-Proto replaced', async () => {
    const { base } = await serve(manifestFile('untrusted'), ['--trusted-proxies', '10.0.0.0/8']);
    await get(`${base}/`, { 'x-forwarded-proto': 'https' });
    expect(seen['x-forwarded-proto']).toBe('http');
  }, 120_000);
});

describe('serve intake flags: malformed values are usage errors (exit 2) before any port opens', () => {
  it.each([
    [['--trusted-proxies', '300.0.0.1'], "--trusted-proxies: '300.0.0.1' is not valid"],
    [['--trusted-proxies', '10.0.0.0/33'], "--trusted-proxies: '10.0.0.0/33' is not valid"],
    [['--trusted-hops', '-1'], '--trusted-hops must be a whole number'],
    [['--trusted-hops', '1', '--trusted-proxies', '::1'], 'cannot be used with'],
    [['--via', 'two words'], '--via must be one token'],
    [['--upgrades', 'websocket,'], "--upgrades: '' is not valid"],
  ])('%s', async (flags, message) => {
    const result = await runBuilt(['serve', manifestFile('usage'), ...flags], { cwd: scratch });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});
