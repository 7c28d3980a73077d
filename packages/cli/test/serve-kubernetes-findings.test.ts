/**
 * Delegation rule 27 and decision 21 in `serve --kubernetes`, as in file mode: a kgateway Backend
 * at another namespace's Service (here, the address of its Pod, from its EndpointSlice) and one
 * at the gateway's own listener (known once the port is bound) are reported on the Backend when
 * the table is made; a request routed to the latter is answered 508, not looped.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFakeApiServer,
  type FakeApiServer,
  type FakeObject,
} from '@switchyard/kubernetes/testing';
import { ensureBuilt, startBuilt, type RunningCli } from './helpers/built-cli.js';
import { send } from './helpers/http.js';
import {
  httpGateway,
  shopObjects,
  startShopBackend,
  type ShopBackend,
} from './helpers/shop-cluster.js';

const GATEWAY_API = 'gateway.networking.k8s.io/v1';
const KGATEWAY = 'gateway.kgateway.dev';

let scratch: string;
let backend: ShopBackend;
let backendPort: number;
let api: FakeApiServer | undefined;
let running: RunningCli | undefined;

beforeAll(async () => {
  await ensureBuilt(['core', 'node', 'kubernetes', 'cli']);
  scratch = mkdtempSync(join(tmpdir(), 'switchyard-kube-findings-'));
  backend = await startShopBackend();
  backendPort = backend.port;
}, 240_000);

afterAll(async () => {
  await running?.stop();
  await api?.close();
  await backend.close();
  rmSync(scratch, { recursive: true, force: true });
});

function staticBackend(name: string, host: string, port: number): FakeObject {
  return {
    apiVersion: `${KGATEWAY}/v1alpha1`,
    kind: 'Backend',
    metadata: { namespace: 'banking', name },
    spec: { type: 'Static', static: { hosts: [{ host, port }] } },
  };
}

describe('serve --kubernetes: rule 27 address findings', () => {
  it('reports a Backend at another team’s Pod and one at its own listener (self-target, 508)', async () => {
    api = await createFakeApiServer();
    for (const object of [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'gw' } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'banking' } },
      {
        apiVersion: GATEWAY_API,
        kind: 'GatewayClass',
        metadata: { name: 'switchyard' },
        spec: { controllerName: 'switchyard.dev/gateway-controller' },
      },
      httpGateway('gw', 'switchyard'),
      ...shopObjects({ gatewayNamespace: 'gw', backendPort, targetPort: backendPort }),
    ])
      api.apply(object);
    const kubeconfig = join(scratch, 'kubeconfig');
    writeFileSync(kubeconfig, api.kubeConfig().exportConfig());
    running = startBuilt(
      [
        'serve',
        '--kubernetes',
        '--gateway',
        'gw/http',
        '--port',
        '8080=0',
        '--debounce',
        '20',
        '--log-level',
        'silent',
        '--shutdown-delay',
        '0',
      ],
      { env: { KUBECONFIG: kubeconfig } },
    );
    const started = await running.waitFor(/listener http :8080 {2}→ {2}(http:\/\/\S+)/, 15_000);
    const base = /listener http :8080 {2}→ {2}(http:\/\/\S+)/.exec(started)![1]!;
    const ownPort = Number(new URL(base).port);
    expect(started).not.toContain('[self-target]');

    api.apply(staticBackend('loop', '127.0.0.1', ownPort));
    api.apply(staticBackend('steal', '127.0.0.1', backendPort));
    api.apply({
      apiVersion: GATEWAY_API,
      kind: 'HTTPRoute',
      metadata: { namespace: 'banking', name: 'loop' },
      spec: {
        parentRefs: [{ name: 'http', namespace: 'gw' }],
        rules: [
          {
            matches: [{ path: { type: 'PathPrefix', value: '/loop' } }],
            backendRefs: [{ group: KGATEWAY, kind: 'Backend', name: 'loop', port: ownPort }],
          },
        ],
      },
    });
    await running.waitFor(/\[self-target\]/, 10_000);
    expect(running.stdout().split('\n')).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^ {2}error: Backend banking/loop spec\\.static\\.hosts\\[0\\]: 127\\.0\\.0\\.1:${ownPort} is one of the gateway's own addresses.*\\[self-target\\]$`,
        ),
      ),
    );
    await running.waitFor(/\[backend-address-of-foreign-service\]/, 10_000);
    expect(running.stdout().split('\n')).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^ {2}error: Backend banking/steal spec\\.static\\.hosts\\[0\\]: 127\\.0\\.0\\.1:${backendPort} is an address of Service shop/web.*\\(affects shop\\) \\[backend-address-of-foreign-service\\]$`,
        ),
      ),
    );

    const deadline = Date.now() + 10_000;
    let answer = await send(`${base}/loop`);
    while (answer.status === 404 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      answer = await send(`${base}/loop`);
    }
    expect(answer.status).toBe(508);
    expect(await running.stop()).toBe(0);
    running = undefined;
  });
});
