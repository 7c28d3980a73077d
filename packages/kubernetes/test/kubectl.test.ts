/**
 * The fake API server's protocol, checked by a client no one here wrote: the real `kubectl`
 * (Debian's kubernetes-client; `.ci/run` installs it) applies, lists, watches and reads status
 * through it while a Kubernetes source serves from it. If kubectl is missing the test fails: a
 * protocol check that silently skips proves nothing.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatTable } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubernetesSource } from '../src/index.js';
import type { FakeApiServer } from '../src/testing/index.js';
import { basicObjects, caughtUp, cluster, startSource, waitFor } from './fixtures.js';

let scratch: string;
let api: FakeApiServer;
let source: KubernetesSource;
let env: NodeJS.ProcessEnv;

function kubectl(args: readonly string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('kubectl', args, { env, timeout: 20_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`kubectl ${args.join(' ')} failed: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
    if (input !== undefined) child.stdin!.end(input);
  });
}

const routeYaml = (prefix: string) => `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: orders
  namespace: shop
spec:
  parentRefs:
    - name: http
      namespace: gw
  rules:
    - matches:
        - path: { type: PathPrefix, value: ${prefix} }
      backendRefs:
        - name: web
          port: 8080
`;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'switchyard-kubectl-'));
  api = await cluster(basicObjects());
  writeFileSync(join(scratch, 'kubeconfig'), api.kubeConfig().exportConfig());
  env = { ...process.env, KUBECONFIG: join(scratch, 'kubeconfig'), HOME: scratch };
  source = startSource(api).source;
  await source.ready;
});

afterAll(async () => {
  await source?.close();
  await api?.close();
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
});

describe('kubectl against the fake API server while Switchyard serves', () => {
  it('kubectl is installed (CI installs Debian kubernetes-client)', async () => {
    expect(await kubectl(['version', '--client'])).toMatch(/Client Version: v1\./);
  });

  it('kubectl apply creates a route that goes live; apply again changes it (merge patch)', async () => {
    const created = await kubectl(['apply', '--validate=false', '-f', '-'], routeYaml('/orders'));
    expect(created.trim()).toBe('httproute.gateway.networking.k8s.io/orders created');
    await waitFor(
      () => formatTable(source.current()).includes('PathPrefix /orders'),
      5000,
      'the route',
    );

    const changed = await kubectl(
      ['apply', '--validate=false', '-f', '-'],
      routeYaml('/orders-v2'),
    );
    expect(changed.trim()).toBe('httproute.gateway.networking.k8s.io/orders configured');
    await waitFor(
      () => formatTable(source.current()).includes('PathPrefix /orders-v2'),
      5000,
      'the change',
    );
  });

  it('kubectl get lists what the source serves, across namespaces and cluster-scoped', async () => {
    const routes = await kubectl(['get', 'httproutes', '-A', '-o', 'name']);
    expect(routes.split('\n').filter(Boolean).sort()).toEqual([
      'httproute.gateway.networking.k8s.io/orders',
      'httproute.gateway.networking.k8s.io/web',
    ]);
    const classes = await kubectl([
      'get',
      'gatewayclasses',
      '-o',
      'jsonpath={.items[*].spec.controllerName}',
    ]);
    expect(classes).toBe('switchyard.dev/gateway-controller');
    const services = await kubectl([
      'get',
      'services',
      '-n',
      'shop',
      '-o',
      'jsonpath={.items[*].metadata.name}',
    ]);
    expect(services).toBe('web');
  });

  it('kubectl reads the status Switchyard wrote', async () => {
    await caughtUp(api, source);
    const accepted = await kubectl([
      'get',
      'httproute',
      'orders',
      '-n',
      'shop',
      '-o',
      'jsonpath={.status.parents[0].controllerName} {.status.parents[0].conditions[?(@.type=="Accepted")].status}',
    ]);
    expect(accepted).toBe('switchyard.dev/gateway-controller True');
    const attached = await kubectl([
      'get',
      'gateway',
      'http',
      '-n',
      'gw',
      '-o',
      'jsonpath={.status.listeners[0].attachedRoutes}',
    ]);
    expect(attached).toBe('2');
  });

  it('kubectl get --watch streams the changes the source also sees', async () => {
    const watcher = spawn(
      'kubectl',
      [
        'get',
        'httproutes',
        '-n',
        'shop',
        '--watch',
        '-o',
        'jsonpath={.metadata.name}:{.spec.rules[0].matches[0].path.value}{"\\n"}',
      ],
      { env },
    );
    let out = '';
    watcher.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    try {
      await waitFor(() => out.includes('orders:/orders-v2'), 10_000, 'the initial list');
      await kubectl(['apply', '--validate=false', '-f', '-'], routeYaml('/orders-v3'));
      await waitFor(() => out.includes('orders:/orders-v3'), 10_000, 'the watched change');
      await waitFor(
        () => formatTable(source.current()).includes('PathPrefix /orders-v3'),
        5000,
        'the table',
      );
    } finally {
      watcher.kill();
    }
  });
});
