import { describe, expect, it } from 'vitest';
import { parseCaseFile, planCaseFile } from '../src/index.js';
import type {
  CaseSession,
  CaseState,
  CaseTarget,
  NormalizedRequest,
  Observable,
  UpdateStep,
} from '../src/index.js';

const caseFile = parseCaseFile(
  `
name: Planned
description: a bit of everything
features: [Gateway, HTTPRoute]
objects:
  - kind: Gateway
    metadata: { namespace: infra, name: gw }
    spec: { listeners: [{ name: http, port: 80, protocol: HTTP }] }
requests:
  - request: { path: /a }
    expect: { backend: { namespace: infra, name: v1, port: 8080 } }
  - request: { path: /b }
    expect: { status: 404 }
  - request: { path: /c }
    expect: { status: 404, teapot: true }
statuses:
  - route: infra/r
    parent: { name: gw }
    conditions: [{ type: Accepted, status: "True" }]
updates:
  - delete: [{ kind: Gateway, namespace: infra, name: gw }]
    requests:
      - request: { path: /a, port: 80, gateway: { namespace: infra, name: gw } }
        expect: { status: 404 }
`,
  'planned.yaml',
);

interface FakeOptions {
  features?: string[];
  cannot?: Observable[];
  applyFails?: boolean;
}

function fakeTarget(options: FakeOptions = {}) {
  const sent: NormalizedRequest[] = [];
  const applied: unknown[][] = [];
  const session: CaseSession = {
    send: async (request) => {
      sent.push(request);
      return request.path === '/a'
        ? {
            kind: 'forwarded',
            backend: { group: '', kind: 'Service', namespace: 'infra', name: 'v1', port: 8080 },
          }
        : { kind: 'responded', status: 404, headers: {} };
    },
    statuses: async () => ({ routes: [], gateways: [] }),
    apply: async (_step: UpdateStep, objects) => {
      if (options.applyFails) throw new Error('apply refused');
      applied.push([...objects]);
    },
    close: async () => {},
  };
  const target: CaseTarget = {
    name: 'fake',
    supports: (feature) =>
      (options.features ?? ['Gateway', 'HTTPRoute', 'updates']).includes(feature),
    canObserve: (what) => !(options.cannot ?? []).includes(what),
    open: async () => session,
  };
  return { target, session, sent, applied };
}

describe('planCaseFile', () => {
  it('lists every check in run order, with titles', () => {
    const plan = planCaseFile(caseFile, { target: fakeTarget().target });
    expect(plan.title).toBe('Planned (planned.yaml)');
    expect(plan.checks.map((c) => [c.kind, c.title, c.skip])).toEqual([
      ['request', 'request 1: GET /a → Service infra/v1:8080', undefined],
      ['request', 'request 2: GET /b → status 404', undefined],
      ['request', 'request 3: GET /c → status 404', 'unknown keys requests[2].expect.teapot'],
      ['route-status', 'status of infra/r for Gateway infra/gw', undefined],
      ['update', 'update 1: delete 1', undefined],
      ['request', 'after update 1: request 1: GET <gateway>:80/a via gw → status 404', undefined],
    ]);
  });

  it('skips the whole file for an unsupported feature, naming it', () => {
    const plan = planCaseFile(caseFile, {
      target: fakeTarget({ features: ['Gateway', 'updates'] }).target,
    });
    expect(plan.skip).toBe('fake does not support HTTPRoute');
    expect(plan.checks.every((c) => c.skip === 'fake does not support HTTPRoute')).toBe(true);
  });

  it('skips single checks the target cannot observe, and update steps it cannot apply', () => {
    const plan = planCaseFile(caseFile, {
      target: fakeTarget({ cannot: ['status'], features: ['Gateway', 'HTTPRoute'] }).target,
    });
    expect(plan.checks.map((c) => c.skip)).toEqual([
      undefined,
      'cannot observe status',
      'unknown keys requests[2].expect.teapot',
      undefined,
      'fake does not support updates',
      'fake does not support updates',
    ]);
  });

  it('runs checks against the session, and the update hands over the new objects', async () => {
    const { target, session, sent, applied } = fakeTarget();
    const plan = planCaseFile(caseFile, { target });
    const state: CaseState = { session, objects: caseFile.objects };
    const results = [];
    for (const check of plan.checks.filter((c) => !c.skip)) results.push(await check.run(state));
    expect(results).toEqual([
      [],
      [],
      ['route infra/r has no status at all'],
      [],
      // the fake ignores the update and still forwards /a: the check after it sees that
      ['expected status 404, but forwarded to Service infra/v1:8080'],
    ]);
    expect(sent.map((r) => [r.path, r.port])).toEqual([
      ['/a', 80],
      ['/b', 80],
      ['/a', 80],
    ]);
    expect(applied).toEqual([[]]);
    expect(state.objects).toEqual([]);
  });

  it('a failed update step fails every later check instead of running it on stale objects', async () => {
    const { target, session } = fakeTarget({ applyFails: true });
    const plan = planCaseFile(caseFile, { target });
    const state: CaseState = { session, objects: caseFile.objects };
    const [update, after] = plan.checks.slice(4);
    await expect(update?.run(state)).rejects.toThrow('apply refused');
    await expect(after?.run(state)).rejects.toThrow(
      'update step 1 failed; this check would see the wrong objects',
    );
  });

  it('skips files with unknown top-level keys', () => {
    const future = parseCaseFile(
      'name: Future\ndescription: d\nfeatures: [Gateway]\nobjects: []\nweather: sunny\n',
      'future.yaml',
    );
    expect(planCaseFile(future, { target: fakeTarget().target }).skip).toBe(
      'uses keys this runner does not implement: weather',
    );
  });
});
