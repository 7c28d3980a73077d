/**
 * `serve --kubernetes` fails loudly and recovers: against the in-process API server (a real
 * socket, a real kubeconfig file, the built CLI as a subprocess), each way the cluster can stand
 * between Switchyard and its Gateway prints a line naming the resource and the fix within seconds,
 * keeps the admin port up with `/readyz` 503 and the reason, and serves once the cause is gone.
 * SIGTERM turns `/readyz` unready while requests are still served for `--shutdown-delay`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_FAKE_RESOURCES,
  createFakeApiServer,
  type FakeApiServer,
  type FakeApiServerOptions,
  type FakeObject,
} from '@switchyard/kubernetes/testing';
import { ensureBuilt, runBuilt, startBuilt, type RunningCli } from './helpers/built-cli.js';
import { send } from './helpers/http.js';
import {
  httpGateway,
  shopObjects,
  startShopBackend,
  type ShopBackend,
} from './helpers/shop-cluster.js';

const GATEWAY_API = 'gateway.networking.k8s.io/v1';
const CONTROLLER = 'switchyard.dev/gateway-controller';

let scratch: string;
let backend: ShopBackend;
let backendPort: number;
let api: FakeApiServer | undefined;
let running: RunningCli | undefined;

beforeAll(async () => {
  await ensureBuilt(['core', 'node', 'kubernetes', 'cli']);
  scratch = mkdtempSync(join(tmpdir(), 'switchyard-kube-failures-'));
  backend = await startShopBackend();
  backendPort = backend.port;
}, 240_000);

afterEach(async () => {
  await running?.stop();
  running = undefined;
  await api?.close();
  api = undefined;
});

afterAll(async () => {
  await backend.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** A Gateway of our class routing `/shop` to a Service whose one endpoint is the test's backend. */
function objects(): FakeObject[] {
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'gw' } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
    {
      apiVersion: GATEWAY_API,
      kind: 'GatewayClass',
      metadata: { name: 'switchyard' },
      spec: { controllerName: CONTROLLER },
    },
    httpGateway('gw', 'switchyard'),
    ...shopObjects({ gatewayNamespace: 'gw', backendPort, targetPort: backendPort }),
  ];
}

async function fakeCluster(
  held: FakeObject[] = objects(),
  options: FakeApiServerOptions = {},
): Promise<FakeApiServer> {
  const server = await createFakeApiServer(options);
  for (const object of held) server.apply(object);
  return server;
}

function kubeconfig(server: FakeApiServer): Record<string, string> {
  const file = join(scratch, `kubeconfig-${new URL(server.url).port}`);
  writeFileSync(file, server.kubeConfig().exportConfig());
  return { KUBECONFIG: file };
}

const serveArgs = (...more: string[]) => [
  'serve',
  '--kubernetes',
  '--gateway',
  'gw/http',
  '--port',
  '8080=0',
  '--admin-port',
  '0',
  '--debounce',
  '20',
  '--log-level',
  'silent',
  // Stopping at the end of a test needs no grace for endpoints (the SIGTERM test sets its own).
  '--shutdown-delay',
  '0',
  ...more,
];

async function adminOf(cli: RunningCli): Promise<string> {
  const out = await cli.waitFor(/admin (http:\/\/\S+)/, 10_000);
  return /admin (http:\/\/\S+)/.exec(out)![1]!;
}

async function listenerOf(cli: RunningCli): Promise<string> {
  const out = await cli.waitFor(/listener http :8080 {2}→ {2}(http:\/\/\S+)/, 15_000);
  return /listener http :8080 {2}→ {2}(http:\/\/\S+)/.exec(out)![1]!;
}

describe('serve --kubernetes when the cluster stands in the way', () => {
  it('unreachable API server: a problem line within seconds, /readyz 503 with the reason, serving once it answers', async () => {
    api = await fakeCluster();
    await api.stop();
    running = startBuilt(serveArgs(), { env: kubeconfig(api) });
    const admin = await adminOf(running);
    const out = await running.waitFor(/problem: unreachable/, 5_000);
    expect(out).toContain(`problem: unreachable ${api.url}: cannot reach the API server:`);
    expect(out).toMatch(/ECONNREFUSED/);
    expect(out).toContain('  fix: check KUBECONFIG');
    expect((await send(`${admin}/healthz`)).status).toBe(200);
    const readyz = await send(`${admin}/readyz`);
    expect(readyz.status).toBe(503);
    expect(readyz.body).toContain(`not ready: unreachable ${api.url}`);

    await api.start();
    const base = await listenerOf(running);
    expect(running.stdout()).toContain('cluster: no problem left');
    const answer = await send(`${base}/shop/cart`);
    expect(answer.body).toBe('backend saw /shop/cart');
    expect((await send(`${admin}/readyz`)).status).toBe(200);
  });

  it('an API server outage while serving keeps the last table in service and /readyz 200', async () => {
    api = await fakeCluster();
    running = startBuilt(serveArgs(), { env: kubeconfig(api) });
    const admin = await adminOf(running);
    const base = await listenerOf(running);
    await api.stop();
    await running.waitFor(/problem: unreachable/, 10_000);
    expect((await send(`${base}/shop/during-outage`)).body).toBe('backend saw /shop/during-outage');
    expect((await send(`${admin}/readyz`)).status).toBe(200);
    await api.start();
    await running.waitFor(/cluster: no problem left/, 10_000);
  });

  it('a bad --shutdown-delay is a usage error (exit 2) naming the flag', async () => {
    const result = await runBuilt(serveArgs('--shutdown-delay', 'soon'), { env: {} });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "--shutdown-delay must be a number of seconds between 0 and 3600, got 'soon'",
    );
  });

  it('--exit-on-unreachable: exit 3 naming the server', async () => {
    api = await fakeCluster();
    await api.stop();
    const result = await runBuilt(serveArgs('--exit-on-unreachable'), { env: kubeconfig(api) });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(
      `switchyard: cannot read the cluster: ${api.url}: cannot reach the API server:`,
    );
  });

  it('a 403 on EndpointSlices names the resource and the RBAC fix; nothing served meanwhile', async () => {
    api = await fakeCluster();
    api.fail({ path: '/endpointslices', status: 403, times: 1_000_000 });
    running = startBuilt(serveArgs(), { env: kubeconfig(api) });
    const admin = await adminOf(running);
    const out = await running.waitFor(/problem: forbidden/, 5_000);
    expect(out).toContain('problem: forbidden endpointslices.discovery.k8s.io: 403 Forbidden');
    expect(out).toContain(
      '  fix: grant list and watch on endpointslices.discovery.k8s.io to this identity',
    );
    expect((await send(`${admin}/readyz`)).body).toContain(
      'not ready: forbidden endpointslices.discovery.k8s.io',
    );
    expect(out).not.toContain('listener http');
  });

  it('Gateway API CRDs not installed: each named, with the install command', async () => {
    const gatewayApi = new Set(['gatewayclasses', 'gateways', 'httproutes', 'referencegrants']);
    api = await fakeCluster(
      objects().filter((o) => o.kind === 'Namespace'),
      {
        resources: DEFAULT_FAKE_RESOURCES.filter((r) => !gatewayApi.has(r.plural)),
      },
    );
    running = startBuilt(serveArgs(), { env: kubeconfig(api) });
    const out = await running.waitFor(/referencegrants.gateway.networking.k8s.io/, 5_000);
    expect(out).toContain(
      'problem: crd-missing gateways.gateway.networking.k8s.io: the API server does not serve gateways.gateway.networking.k8s.io (404): the CRD is not installed',
    );
    expect(out).toContain('  fix: install the Gateway API CRDs: kubectl apply -f');
    expect(running.child.exitCode).toBeNull();
  });

  it('a missing Gateway is waited for, and served as soon as it is created', async () => {
    api = await fakeCluster(objects().filter((o) => o.kind !== 'Gateway'));
    running = startBuilt(serveArgs(), { env: kubeconfig(api) });
    const out = await running.waitFor(/problem: gateway-missing/, 5_000);
    expect(out).toContain('problem: gateway-missing Gateway gw/http: not found');
    const createdAt = Date.now();
    api.apply(httpGateway('gw', 'switchyard'));
    const base = await listenerOf(running);
    expect(Date.now() - createdAt).toBeLessThan(5_000);
    expect((await send(`${base}/shop/x`)).body).toBe('backend saw /shop/x');
  });

  it("a Gateway of another controller's class is not served and its status is left alone", async () => {
    const foreignClass: FakeObject = {
      apiVersion: GATEWAY_API,
      kind: 'GatewayClass',
      metadata: { name: 'kgateway' },
      spec: { controllerName: 'kgateway.dev/kgateway' },
    };
    api = await fakeCluster([
      ...objects().map((o) => (o.kind === 'Gateway' ? httpGateway('gw', 'kgateway') : o)),
      foreignClass,
    ]);
    running = startBuilt(serveArgs(), { env: kubeconfig(api) });
    const out = await running.waitFor(/problem: gateway-class-foreign/, 5_000);
    expect(out).toContain(
      'problem: gateway-class-foreign Gateway gw/http: its GatewayClass "kgateway" belongs to controller kgateway.dev/kgateway, not switchyard.dev/gateway-controller: not served, no status written',
    );
    expect(api.get({ kind: 'Gateway', namespace: 'gw', name: 'http' })?.status).toBeUndefined();
    expect(api.get({ kind: 'GatewayClass', name: 'kgateway' })?.status).toBeUndefined();
    expect(api.get({ kind: 'HTTPRoute', namespace: 'shop', name: 'web' })?.status).toBeUndefined();
  });

  it('SIGTERM: /readyz 503 at once, requests still served during --shutdown-delay, then exit 0', async () => {
    api = await fakeCluster();
    running = startBuilt(serveArgs('--shutdown-delay', '1.5'), { env: kubeconfig(api) });
    const admin = await adminOf(running);
    const base = await listenerOf(running);
    expect((await send(`${admin}/readyz`)).status).toBe(200);
    const cli = running;
    cli.child.kill('SIGTERM');
    await cli.waitFor(/stopping: \/readyz answers 503; serving 1.5s more/, 5_000);
    const readyz = await send(`${admin}/readyz`);
    expect([readyz.status, readyz.body]).toEqual([503, 'not ready: shutting down\n']);
    const during = await send(`${base}/shop/during-delay`);
    expect(during.body).toBe('backend saw /shop/during-delay');
    const exited = new Promise<number | null>((resolve) => cli.child.on('close', resolve));
    expect(await exited).toBe(0);
    expect(cli.stdout()).toContain('stopping');
    running = undefined;
  });
});
