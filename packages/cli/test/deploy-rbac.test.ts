/**
 * Least privilege, proven: the in-process API server enforces exactly the RBAC rules of the
 * default install (`deploy/kustomization.yaml`'s manifests, bound to the ServiceAccount
 * `switchyard-system/switchyard`), and the built CLI runs with the Deployment's own arguments.
 * It must serve and write every status it owns without one 403, and every verb of every rule
 * must be used (a rule nobody uses is privilege to remove). The tls-secrets component adds what
 * `--tls-secrets` needs and no more.
 */
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFakeApiServer,
  rbacPolicyFor,
  type FakeApiServer,
  type FakeObject,
  type RbacPolicy,
  type RecordedRequest,
} from '@switchyard/kubernetes/testing';
import { ensureBuilt, repoRoot, startBuilt } from './helpers/built-cli.js';
import { send } from './helpers/http.js';
import {
  httpGateway,
  shopObjects,
  startShopBackend,
  type ShopBackend,
} from './helpers/shop-cluster.js';

const deployDir = join(repoRoot, 'deploy');
const SERVICE_ACCOUNT = { namespace: 'switchyard-system', name: 'switchyard' };

let scratch: string;
let backend: ShopBackend;
let backendPort: number;

beforeAll(async () => {
  await ensureBuilt(['core', 'node', 'kubernetes', 'cli']);
  scratch = mkdtempSync(join(tmpdir(), 'switchyard-deploy-rbac-'));
  backend = await startShopBackend();
  backendPort = backend.port;
}, 240_000);

afterAll(async () => {
  await backend.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** The documents of a kustomization's `resources` (files only, as deploy/ has). */
function kustomized(dir: string): FakeObject[] {
  const kustomization = parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as {
    resources: string[];
  };
  return kustomization.resources.flatMap((file) =>
    parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((d) => d.toJS() as FakeObject),
  );
}

function deploymentArgs(manifests: readonly FakeObject[]): string[] {
  const deployment = manifests.find((m) => m.kind === 'Deployment')!;
  const spec = deployment['spec'] as {
    template: { spec: { containers: { args: string[] }[] } };
  };
  return [...spec.template.spec.containers[0]!.args];
}

/** The Deployment's arguments, bound to local free ports. */
function localArgs(args: readonly string[]): string[] {
  const local = [...args];
  const set = (flag: string, value: string) => {
    const at = local.indexOf(flag);
    if (at === -1) local.push(flag, value);
    else local[at + 1] = value;
  };
  set('--host', '127.0.0.1');
  set('--admin-port', '0');
  set('--shutdown-delay', '0');
  set('--log-level', 'silent');
  local.push('--port', '8080=0');
  return local;
}

function clusterObjects(manifests: readonly FakeObject[]): FakeObject[] {
  const fromDeploy = manifests.filter(
    (m) => m.kind === 'Namespace' || m.kind === 'GatewayClass' || m.kind === 'Service',
  );
  return [
    ...fromDeploy.map((m) =>
      m.kind === 'Service'
        ? { ...m, spec: { ...(m['spec'] as object), clusterIP: '10.96.0.20' } }
        : m,
    ),
    {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: {
        name: 'gatewayclasses.gateway.networking.k8s.io',
        annotations: { 'gateway.networking.k8s.io/bundle-version': 'v1.3.0' },
      },
    },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kgateway-system' } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
    httpGateway('kgateway-system', 'switchyard'),
    ...shopObjects({ gatewayNamespace: 'kgateway-system', backendPort }),
  ];
}

/**
 * The first status write of each kind meets a concurrent change (409 Conflict), as it does when
 * another controller writes at the same time: the writer's re-read (`get`) is exercised too.
 */
function conflictOnFirstWrites(api: FakeApiServer): void {
  const done = new Set<string>();
  api.onRequest((request) => {
    const target = request.target;
    if (request.method === 'GET' || target?.subresource !== 'status' || done.has(target.plural))
      return;
    done.add(target.plural);
    const kinds: Record<string, string> = {
      httproutes: 'HTTPRoute',
      gateways: 'Gateway',
      gatewayclasses: 'GatewayClass',
    };
    const kind = kinds[target.plural];
    if (!kind) return;
    const ref = {
      kind,
      name: target.name!,
      ...(target.namespace ? { namespace: target.namespace } : {}),
    };
    const current = api.get(ref)!;
    api.apply({ ...current, metadata: { ...current.metadata, labels: { touched: 'yes' } } });
  });
}

/** `group|resource|verb` of every rule in `policy`. */
function grantedVerbs(policy: RbacPolicy): string[] {
  return policy.rules.flatMap((rule) =>
    rule.apiGroups.flatMap((group) =>
      rule.resources.flatMap((resource) =>
        rule.verbs.map((verb) => `${group}|${resource}|${verb}`),
      ),
    ),
  );
}

function usedVerbs(requests: readonly RecordedRequest[]): Set<string> {
  return new Set(
    requests.flatMap((r) => (r.rbac ? [`${r.rbac.group}|${r.rbac.resource}|${r.rbac.verb}`] : [])),
  );
}

async function runDeployment(manifests: FakeObject[], extra: FakeObject[] = []) {
  const policy = rbacPolicyFor(manifests, SERVICE_ACCOUNT);
  const api = await createFakeApiServer({ rbac: policy });
  for (const object of [...clusterObjects(manifests), ...extra]) api.apply(object);
  conflictOnFirstWrites(api);
  const kubeconfig = join(scratch, `kubeconfig-${new URL(api.url).port}`);
  writeFileSync(kubeconfig, api.kubeConfig().exportConfig());
  const cli = startBuilt(localArgs(deploymentArgs(manifests)), {
    env: { KUBECONFIG: kubeconfig, POD_NAMESPACE: SERVICE_ACCOUNT.namespace },
  });
  return { policy, api, cli };
}

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the default install (deploy/) under its own RBAC', () => {
  it('serves, writes every status it owns, holds its Lease, gets no 403, and uses every rule', async () => {
    const manifests = kustomized(deployDir);
    const { policy, api, cli } = await runDeployment(manifests);
    try {
      const out = await cli.waitFor(/listener http :8080 {2}→ {2}(http:\/\/\S+)/, 20_000);
      const base = /listener http :8080 {2}→ {2}(http:\/\/\S+)/.exec(out)![1]!;
      expect((await send(`${base}/shop/a`)).body).toBe('backend saw /shop/a');

      const statusOf = (ref: { kind: string; namespace?: string; name: string }): string =>
        JSON.stringify(api.get(ref)?.status) ?? '';
      await until(
        () =>
          statusOf({ kind: 'HTTPRoute', namespace: 'shop', name: 'web' }).includes(
            'switchyard.dev/gateway-controller',
          ) &&
          JSON.stringify(
            statusOf({ kind: 'Gateway', namespace: 'kgateway-system', name: 'http' }),
          ).includes('10.96.0.20') &&
          statusOf({ kind: 'GatewayClass', name: 'switchyard' }).includes('SupportedVersion'),
        'the statuses',
      );
      expect(
        api.get({ kind: 'Lease', namespace: 'switchyard-system', name: 'switchyard-http' }),
      ).toBeDefined();
      expect(await cli.stop()).toBe(0);

      expect(
        api.requests.filter((r) => r.status === 403).map((r) => `${r.method} ${r.path}`),
      ).toEqual([]);
      const used = usedVerbs(api.requests);
      expect(grantedVerbs(policy).filter((granted) => !used.has(granted))).toEqual([]);
    } finally {
      await cli.stop();
      await api.close();
    }
  });

  it('reads no Secret: a request for one would be refused', () => {
    const policy = rbacPolicyFor(kustomized(deployDir), SERVICE_ACCOUNT);
    expect(grantedVerbs(policy).filter((g) => g.startsWith('|secrets|'))).toEqual([]);
  });

  it('components/tls-secrets adds list and watch on Secrets and --tls-secrets, and the two are used', async () => {
    const componentDir = join(deployDir, 'components/tls-secrets');
    const rbac = parseAllDocuments(readFileSync(join(componentDir, 'rbac.yaml'), 'utf8')).map(
      (d) => d.toJS() as FakeObject,
    );
    const base = kustomized(deployDir);
    const withFlag = base.map((m) => {
      if (m.kind !== 'Deployment') return m;
      const copy = structuredClone(m);
      const container = (
        copy['spec'] as { template: { spec: { containers: { args: string[] }[] } } }
      ).template.spec.containers[0]!;
      container.args.push('--tls-secrets');
      return copy;
    });
    const { policy, api, cli } = await runDeployment([...withFlag, ...rbac]);
    try {
      await cli.waitFor(/listener http :8080/, 20_000);
      expect(await cli.stop()).toBe(0);
      expect(
        api.requests.filter((r) => r.status === 403).map((r) => `${r.method} ${r.path}`),
      ).toEqual([]);
      const used = usedVerbs(api.requests);
      expect(['|secrets|list', '|secrets|watch'].filter((v) => !used.has(v))).toEqual([]);
      expect(grantedVerbs(policy)).toContain('|secrets|list');
    } finally {
      await cli.stop();
      await api.close();
    }
  });
});
