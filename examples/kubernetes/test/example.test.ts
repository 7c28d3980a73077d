// The example over real sockets: requests go through the Gateway's listener to the echo backends
// the EndpointSlices name; teams create, break and delete routes through the API server's HTTP API
// (as kubectl does) and read their routes' status back the same way, while the gateway keeps running.
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startExample } from '../src/example.js';
import type { Example } from '../src/example.js';
import { CONTROLLER_NAME, delegationObjects } from '../src/objects.js';

interface Sample {
  readonly name: string;
  readonly request: {
    method: string;
    host: string;
    path: string;
    headers?: Record<string, string>;
  };
  readonly expect: {
    backend?: { namespace: string; name: string; port: number };
    upstream?: { path: string };
    status?: number;
  };
}

const samples = parse(
  readFileSync(new URL('../../delegation/requests.yaml', import.meta.url), 'utf8'),
) as Sample[];

interface Answer {
  readonly status: number;
  /** The backend that answered (`namespace/name:port`), when one did. */
  readonly served?: string;
  /** The path that backend received. */
  readonly path?: string;
}

interface RouteStatus {
  parents?: {
    controllerName: string;
    parentRef: { name: string; namespace?: string; kind?: string };
    conditions: { type: string; status: string; reason: string; message: string }[];
  }[];
}

const ROUTES = '/apis/gateway.networking.k8s.io/v1/namespaces';

describe('examples/kubernetes: the delegation example served from a Kubernetes API server', () => {
  let example: Example;

  beforeAll(async () => {
    example = await startExample({ port: 0 });
  });
  afterAll(async () => {
    await example?.close();
  });

  /** A request to the Gateway's listener, for api.example.com. */
  function send(path: string, headers: Record<string, string> = {}, method = 'GET') {
    return new Promise<Answer>((resolve, reject) => {
      const headersSent = { host: 'api.example.com', ...headers };
      const req = request(`${example.url}${path}`, { method, headers: headersSent, agent: false });
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          const echoed =
            res.headers['content-type'] === 'application/json' && text.startsWith('{"served"');
          const body = echoed ? (JSON.parse(text) as { served: string; path: string }) : undefined;
          resolve({
            status: res.statusCode ?? 0,
            ...(body ? { served: body.served, path: body.path } : {}),
          });
        });
      });
      req.on('error', reject);
      req.end();
    });
  }

  /** A call to the API server, as kubectl makes it. */
  async function kube(method: string, path: string, body?: object): Promise<unknown> {
    const response = await fetch(`${example.api.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const answer = (await response.json()) as unknown;
    if (!response.ok)
      throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(answer)}`);
    return answer;
  }

  function routeStatus(namespace: string, name: string): Promise<RouteStatus> {
    return kube('GET', `${ROUTES}/${namespace}/httproutes/${name}`).then(
      (route) => ((route as { status?: RouteStatus }).status ?? {}) as RouteStatus,
    );
  }

  /** Polls until `check` holds (tables and statuses follow the API server within milliseconds). */
  async function until(what: string, check: () => Promise<boolean>, timeoutMs = 5000) {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Every sample request of examples/delegation/requests.yaml, answered now. */
  async function answerSamples(): Promise<Answer[]> {
    return Promise.all(
      samples.map((s) =>
        send(s.request.path, { host: s.request.host, ...s.request.headers }, s.request.method),
      ),
    );
  }

  /** A child route of `namespace` under the parent's label delegation `label`. */
  function childRoute(namespace: string, name: string, label: string, rules: object[]) {
    return {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { namespace, name, labels: { 'delegation.kgateway.dev/label': label } },
      spec: { rules },
    };
  }

  function prefixTo(prefix: string, service: string) {
    return {
      matches: [{ path: { type: 'PathPrefix', value: prefix } }],
      backendRefs: [{ name: service, port: 8080 }],
    };
  }

  it.each(samples)('delegated routes answer from the right backend: $name', async (sample) => {
    const { request: req, expect: expected } = sample;
    const answer = await send(req.path, { host: req.host, ...req.headers }, req.method);
    if (expected.backend === undefined) {
      expect(answer.status).toBe(expected.status);
      expect(answer.served).toBeUndefined();
      return;
    }
    const { namespace, name, port } = expected.backend;
    expect(answer).toEqual({
      status: 200,
      served: `${namespace}/${name}:${port}`,
      path: expected.upstream?.path ?? req.path,
    });
  });

  it('every route of the example gets Accepted=True from our controller, read through the API server', async () => {
    const routes = (['banking', 'insurance', 'payments'] as const).flatMap((folder) =>
      delegationObjects(folder).filter((o) => o.kind === 'HTTPRoute'),
    );
    expect(routes.length).toBeGreaterThanOrEqual(5);
    for (const route of routes) {
      const { namespace, name } = route.metadata;
      await until(`status of ${namespace}/${name}`, async () => {
        const parents = (await routeStatus(namespace!, name)).parents ?? [];
        return parents.some(
          (p) =>
            p.controllerName === CONTROLLER_NAME &&
            p.conditions.some((c) => c.type === 'Accepted' && c.status === 'True'),
        );
      });
    }
  });

  it("a team's new child route goes live without a restart, and deleting it takes it away", async () => {
    expect((await send('/banking/loans/7')).status).toBe(404);
    const before = await answerSamples();

    await kube(
      'POST',
      `${ROUTES}/banking/httproutes`,
      childRoute('banking', 'loans', 'banking-bff', [prefixTo('/banking/loans', 'cards')]),
    );
    await until(
      '/banking/loans to be routed',
      async () => (await send('/banking/loans/7')).status === 200,
    );
    expect(await send('/banking/loans/7')).toEqual({
      status: 200,
      served: 'banking/cards:8080',
      path: '/banking/loans/7',
    });
    await until('the status of banking/loans', async () =>
      ((await routeStatus('banking', 'loans')).parents ?? []).some((p) =>
        p.conditions.some((c) => c.type === 'Accepted' && c.status === 'True'),
      ),
    );

    await kube('DELETE', `${ROUTES}/banking/httproutes/loans`);
    await until(
      '/banking/loans to be gone',
      async () => (await send('/banking/loans/7')).status === 404,
    );
    // The one sample about /banking/loans (404) is the same again; so is everything else.
    expect(await answerSamples()).toEqual(before);
  });

  it('deleting one of the original routes removes only its paths', async () => {
    const before = await answerSamples();
    const cards = delegationObjects('banking').find(
      (o) => o.kind === 'HTTPRoute' && o.metadata.name === 'cards',
    )!;

    await kube('DELETE', `${ROUTES}/banking/httproutes/cards`);
    await until(
      '/banking/cards to be gone',
      async () => (await send('/banking/cards')).status === 404,
    );
    const after = await answerSamples();
    samples.forEach((sample, i) => {
      if (sample.request.path.startsWith('/banking/cards')) expect(after[i]!.status).toBe(404);
      else expect(after[i]).toEqual(before[i]);
    });

    await kube('POST', `${ROUTES}/banking/httproutes`, cards);
    await until(
      '/banking/cards to be back',
      async () => (await send('/banking/cards')).status === 200,
    );
    expect(await answerSamples()).toEqual(before);
  });

  it("a team's broken route gets its own status, and no other team's traffic changes", async () => {
    const before = await answerSamples();
    // The insurance team names a Service that does not exist, and reaches for banking's prefix.
    await kube(
      'POST',
      `${ROUTES}/insurance/httproutes`,
      childRoute('insurance', 'broken', 'insurance-bff', [
        prefixTo('/insurance/pets', 'pets'),
        prefixTo('/banking/accounts', 'quotes'),
      ]),
    );
    let conditions: NonNullable<RouteStatus['parents']>[number]['conditions'] = [];
    await until('the status of insurance/broken', async () => {
      const parents = (await routeStatus('insurance', 'broken')).parents ?? [];
      conditions = parents.find((p) => p.controllerName === CONTROLLER_NAME)?.conditions ?? [];
      return conditions.some((c) => c.type === 'ResolvedRefs');
    });
    expect(conditions).toContainEqual(
      expect.objectContaining({ type: 'ResolvedRefs', status: 'False', reason: 'BackendNotFound' }),
    );
    expect(conditions).toContainEqual(
      expect.objectContaining({
        type: 'ResolvedRefs',
        message: expect.stringContaining('insurance/pets') as string,
      }),
    );
    // The match outside its prefix is dropped, and the route's status says so.
    expect(conditions).toContainEqual(
      expect.objectContaining({
        type: 'PartiallyInvalid',
        status: 'True',
        message: expect.stringMatching(
          /PathPrefix \/banking\/accounts.*outside the delegated prefix \/insurance/,
        ) as string,
      }),
    );
    // Its own missing backend answers 500 in its own prefix...
    expect((await send('/insurance/pets/1')).status).toBe(500);
    // ...and every sample request, banking's /banking/accounts included, is answered as before.
    expect(await answerSamples()).toEqual(before);
    // The other teams' routes keep their status.
    const accounts = (await routeStatus('banking', 'accounts')).parents ?? [];
    expect(accounts.flatMap((p) => p.conditions.map((c) => `${c.type}=${c.status}`))).toEqual(
      expect.arrayContaining(['Accepted=True', 'ResolvedRefs=True']),
    );

    await kube('DELETE', `${ROUTES}/insurance/httproutes/broken`);
    await until(
      '/insurance/pets to be gone',
      async () => (await send('/insurance/pets/1')).status === 404,
    );
  });

  it("a route copying another team's label in its own namespace is not selected", async () => {
    const before = await answerSamples();
    // The /banking delegation selects the label banking-bff in namespace banking only.
    await kube(
      'POST',
      `${ROUTES}/insurance/httproutes`,
      childRoute('insurance', 'impostor', 'banking-bff', [
        prefixTo('/banking/accounts', 'quotes'),
        prefixTo('/banking/loans', 'quotes'),
      ]),
    );
    // A marker route applied after it: once it is served, the impostor was compiled too.
    await kube(
      'POST',
      `${ROUTES}/insurance/httproutes`,
      childRoute('insurance', 'marker', 'insurance-bff', [prefixTo('/insurance/marker', 'quotes')]),
    );
    await until('the marker route', async () => (await send('/insurance/marker')).status === 200);
    expect(await answerSamples()).toEqual(before);
    expect((await send('/banking/loans/1')).status).toBe(404);

    for (const name of ['impostor', 'marker'])
      await kube('DELETE', `${ROUTES}/insurance/httproutes/${name}`);
    await until(
      'the marker route to be gone',
      async () => (await send('/insurance/marker')).status === 404,
    );
  });
});
