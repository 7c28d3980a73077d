/**
 * `switchyard serve --kubernetes --tls-secrets`: an HTTPS listener whose certificate is a
 * `kubernetes.io/tls` Secret in the cluster (the fake API server of `@switchyard/kubernetes`'s
 * testing entry, over a real socket, reached through a kubeconfig file). The flag makes the
 * source watch Secrets; the listener serves the Secret's certificate and follows its rotation.
 * Without the flag the Secret is never read, and the listener cannot start.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createFakeApiServer,
  type FakeApiServer,
  type FakeObject,
} from '@switchyard/kubernetes/testing';
import { selfSignedCertificate } from '@switchyard/test-kit';
import { runInProcess } from './helpers/in-process.js';
import { ensureBuilt, runBuilt, startBuilt, type RunningCli } from './helpers/built-cli.js';

const HOST = 'secure.example';
const GATEWAY_API = 'gateway.networking.k8s.io/v1';
const first = selfSignedCertificate([HOST]);
const second = selfSignedCertificate([HOST]);

let api: FakeApiServer;
let scratch: string;
let backendOrigin: string;
let running: RunningCli | undefined;

function secret(material: { cert: string; key: string }): FakeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { namespace: 'gw', name: 'secure-tls' },
    type: 'kubernetes.io/tls',
    data: {
      'tls.crt': Buffer.from(material.cert).toString('base64'),
      'tls.key': Buffer.from(material.key).toString('base64'),
    },
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  await ensureBuilt(['core', 'node', 'kubernetes', 'cli']);
  scratch = mkdtempSync(join(tmpdir(), 'switchyard-serve-kube-tls-'));
  backendOrigin = `http://127.0.0.1:${await freePort()}`;
  api = await createFakeApiServer();
  for (const name of ['gw', 'shop'])
    api.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  api.apply({
    apiVersion: GATEWAY_API,
    kind: 'GatewayClass',
    metadata: { name: 'switchyard' },
    spec: { controllerName: 'switchyard.dev/gateway-controller' },
  });
  api.apply({
    apiVersion: GATEWAY_API,
    kind: 'Gateway',
    metadata: { namespace: 'gw', name: 'https' },
    spec: {
      gatewayClassName: 'switchyard',
      listeners: [
        {
          name: 'https',
          port: 8443,
          protocol: 'HTTPS',
          hostname: HOST,
          tls: { mode: 'Terminate', certificateRefs: [{ name: 'secure-tls' }] },
          allowedRoutes: { namespaces: { from: 'All' } },
        },
      ],
    },
  });
  api.apply({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { namespace: 'shop', name: 'web' },
    spec: { ports: [{ port: 8080 }] },
  });
  api.apply({
    apiVersion: GATEWAY_API,
    kind: 'HTTPRoute',
    metadata: { namespace: 'shop', name: 'web' },
    spec: {
      parentRefs: [{ name: 'https', namespace: 'gw' }],
      rules: [{ backendRefs: [{ name: 'web', port: 8080 }] }],
    },
  });
  api.apply(secret(first));
  writeFileSync(join(scratch, 'kubeconfig'), api.kubeConfig().exportConfig());
}, 240_000);

afterEach(async () => {
  await running?.stop();
  running = undefined;
});

afterAll(async () => {
  await api?.close();
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
});

const serveArgs = (...more: string[]): string[] => [
  'serve',
  '--kubernetes',
  '--gateway',
  'gw/https',
  '--backend',
  `shop/web:8080=${backendOrigin}`,
  '--demo-backends',
  '--port',
  '8443=0',
  '--debounce',
  '20',
  '--log-level',
  'silent',
  '--shutdown-delay',
  '0',
  ...more,
];
const env = (): Record<string, string> => ({ KUBECONFIG: join(scratch, 'kubeconfig') });

/**
 * GET over TLS with SNI `secure.example`. The certificates are self-signed: which one was
 * presented is checked by fingerprint instead of by a chain.
 */
function get(
  url: string,
): Promise<{ status: number; body: string; certificate: string | undefined }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: hostname,
        port,
        path: '/hello',
        servername: HOST,
        headers: { host: HOST },
        rejectUnauthorized: false,
        agent: false,
      },
      (res) => {
        const certificate = (res.socket as TLSSocket).getPeerCertificate().fingerprint256;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, certificate }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const fingerprint = (material: { cert: string }) =>
  new X509Certificate(material.cert).fingerprint256;

describe('serve --kubernetes --tls-secrets', () => {
  it('serves the HTTPS listener with the certificate of its Secret, and follows its rotation', async () => {
    const lists = api.requests.length;
    running = startBuilt(serveArgs('--tls-secrets'), { env: env() });
    const stdout = await running.waitFor(/Ctrl-C to stop/, 20_000);
    const base = /listener https :8443 {2}→ {2}(https:\/\/\S+)/.exec(stdout)?.[1];
    expect(base, stdout).toBeDefined();
    // The flag reached the source: it lists and watches TLS Secrets only.
    const secretRequests = api.requests.slice(lists).filter((r) => r.path === '/api/v1/secrets');
    expect(secretRequests.length).toBeGreaterThan(0);
    expect(secretRequests.map((r) => r.query['fieldSelector'])).toEqual(
      secretRequests.map(() => 'type=kubernetes.io/tls'),
    );

    const answer = await get(base!);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ backend: 'shop/web:8080', path: '/hello' });
    expect(answer.certificate).toBe(fingerprint(first));

    api.apply(secret(second));
    const deadline = Date.now() + 10_000;
    let rotated = await get(base!);
    while (rotated.certificate !== fingerprint(second) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      rotated = await get(base!);
    }
    expect(rotated.certificate).toBe(fingerprint(second));
    expect(rotated.status).toBe(200);
    expect(await running.stop()).toBe(0);
  });

  it('reads no Secret without the flag, and says the HTTPS listener needs it (exit 2)', async () => {
    const lists = api.requests.length;
    const result = await runBuilt(serveArgs(), { env: env() });
    expect(result.code, result.stderr + result.stdout).toBe(2);
    expect(result.stderr).toBe(
      'switchyard: Gateway gw/https has only its HTTPS listener https, whose certificates are Secrets: add --tls-secrets\n',
    );
    expect(api.requests.slice(lists).filter((r) => r.path.includes('secrets'))).toEqual([]);
  });

  it('is a usage error without --kubernetes', async () => {
    const result = await runInProcess(['serve', 'examples/delegation', '--tls-secrets']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--tls-secrets goes with --kubernetes');
  });
});
