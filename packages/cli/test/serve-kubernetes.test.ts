/**
 * `switchyard serve --kubernetes`: the same gateway, fed by `@switchyard/kubernetes` from an API
 * server (the in-process fake API server of `@switchyard/kubernetes`'s testing entry, over a real
 * socket, reached through a real kubeconfig file). The example's objects are applied to it; a
 * change applied while serving goes live.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The fake API server is test tooling of the kubernetes package, not part of its public entry.
import {
  createFakeApiServer,
  type FakeApiServer,
  type FakeObject,
} from '@switchyard/kubernetes/testing';
import { ensureBuilt, exampleDir, startBuilt, type RunningCli } from './helpers/built-cli.js';
import { freeBackendsFile, send } from './helpers/http.js';

let api: FakeApiServer;
let scratch: string;
let running: RunningCli | undefined;

beforeAll(async () => {
  await ensureBuilt(['core', 'node', 'kubernetes', 'cli']);
  scratch = mkdtempSync(join(tmpdir(), 'switchyard-serve-kube-'));
  api = await createFakeApiServer();
  api.apply({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'GatewayClass',
    metadata: { name: 'switchyard' },
    spec: { controllerName: 'switchyard.dev/gateway-controller' },
  });
  for (const dir of ['platform', 'banking', 'insurance', 'payments']) {
    for (const file of readdirSync(join(exampleDir, dir))) {
      for (const doc of parseAllDocuments(readFileSync(join(exampleDir, dir, file), 'utf8'))) {
        api.apply(ourClass(doc.toJS() as FakeObject));
      }
    }
  }
  writeFileSync(join(scratch, 'kubeconfig'), api.kubeConfig().exportConfig());
  await freeBackendsFile(join(exampleDir, 'backends.local.yaml'), join(scratch, 'backends.yaml'));
}, 240_000);

/** The example's Gateway names kgateway's class; here it is moved to ours, as docs/kubernetes.md does. */
function ourClass(object: FakeObject): FakeObject {
  if (object.kind !== 'Gateway') return object;
  return { ...object, spec: { ...(object['spec'] as object), gatewayClassName: 'switchyard' } };
}

afterAll(async () => {
  await running?.stop();
  await api?.close();
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
});

describe('serve --kubernetes', () => {
  it('serves the Gateway from the cluster and follows changes', async () => {
    running = startBuilt(
      [
        'serve',
        '--kubernetes',
        '--gateway',
        'kgateway-system/http',
        '--backends',
        join(scratch, 'backends.yaml'),
        '--demo-backends',
        '--port',
        '8080=0',
        '--debounce',
        '20',
        '--log-level',
        'silent',
        '--shutdown-delay',
        '0',
      ],
      { env: { KUBECONFIG: join(scratch, 'kubeconfig') } },
    );
    const stdout = await running.waitFor(/Ctrl-C to stop/, 20_000);
    expect(stdout).toContain('switchyard serve: Gateway kgateway-system/http from the cluster');
    expect(stdout).toContain('watching the cluster for changes');
    const base = /listener http :8080 {2}→ {2}(http:\/\/\S+)/.exec(stdout)![1]!;
    const get = (path: string) => send(`${base}${path}`, { headers: { host: 'api.example.com' } });

    const accounts = await get('/banking/accounts/42');
    expect(accounts.status).toBe(200);
    expect(JSON.parse(accounts.body)).toMatchObject({
      backend: 'banking/accounts:8080',
      path: '/banking/accounts/42',
    });
    expect((await get('/banking/loans')).status).toBe(404);

    api.apply({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: {
        name: 'loans',
        namespace: 'banking',
        labels: { 'delegation.kgateway.dev/label': 'banking-bff' },
      },
      spec: {
        rules: [
          {
            matches: [{ path: { type: 'PathPrefix', value: '/banking/loans' } }],
            backendRefs: [{ name: 'cards', port: 8080 }],
          },
        ],
      },
    });
    const deadline = Date.now() + 10_000;
    let loans = await get('/banking/loans');
    while (loans.status !== 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      loans = await get('/banking/loans');
    }
    expect(loans.status).toBe(200);
    expect(JSON.parse(loans.body)).toMatchObject({ backend: 'banking/cards:8080' });
    expect(await running.stop()).toBe(0);
  });
});
