// The core target must not pass everything: each corpus file below passes as written and fails
// once one expectation in it is changed. This is what keeps core-conformance.test.ts honest.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { casesDir, coreTarget, echoSetHeaders, parseCaseFile, planCaseFile } from '../src/index.js';
import type { CaseState, CaseTarget, NormalizedRequest } from '../src/index.js';

function source(file: string): string {
  return readFileSync(join(casesDir.gatewayApi, file), 'utf8');
}

function replaceOnce(text: string, from: string, to: string, occurrence = 1): string {
  let index = -1;
  for (let n = 0; n < occurrence; n += 1) {
    index = text.indexOf(from, index + 1);
    if (index === -1)
      throw new Error(`${JSON.stringify(from)} occurs fewer than ${occurrence} times`);
  }
  return text.slice(0, index) + to + text.slice(index + from.length);
}

/** Runs every runnable check of a case file in order; returns the problems, or thrown errors. */
async function problemsOf(text: string, target: CaseTarget = coreTarget()): Promise<string[]> {
  const caseFile = parseCaseFile(text, 'case.yaml');
  const plan = planCaseFile(caseFile, { target });
  const state: CaseState = { session: await target.open(caseFile), objects: caseFile.objects };
  const problems: string[] = [];
  for (const check of plan.checks) {
    if (check.skip) continue;
    try {
      problems.push(...(await check.run(state)).map((problem) => `${check.title}: ${problem}`));
    } catch (error) {
      problems.push(`${check.title}: threw ${(error as Error).message}`);
    }
  }
  return problems.filter((problem) => !problem.includes(': detail: '));
}

const mutations: [file: string, from: string, to: string, occurrence: number, expected: RegExp][] =
  [
    [
      'httproute-matching.yaml',
      'name: infra-backend-v2, port: 8080',
      'name: infra-backend-v3, port: 8080',
      1,
      /expected Service .*infra-backend-v3/,
    ],
    [
      'httproute-weight.yaml',
      'port: 8080, weight: 70',
      'port: 8080, weight: 50',
      1,
      /share 70\/100, expected 50\/80/,
    ],
    [
      'httproute-weight.yaml',
      'weight: 0 }',
      'weight: 5 }',
      1,
      /no share for Service .*infra-backend-v3/,
    ],
    [
      'httproute-redirect-port-and-scheme.yaml',
      'hostname: example.org, port: 8080 }',
      'hostname: example.org, port: 8081 }',
      1,
      /port is 8080, expected 8081/,
    ],
    [
      'httproute-request-header-modifier.yaml',
      'X-Header-Add: add-appends-values',
      'X-Header-Add: appended',
      1,
      /upstream header X-Header-Add: got "add-appends-values"/,
    ],
    [
      'httproute-cors.yaml',
      'access-control-allow-origin: "https://www.foo.com"',
      'access-control-allow-origin: "https://x.com"',
      1,
      /response header access-control-allow-origin/,
    ],
    [
      'httproute-observed-generation-bump.yaml',
      'observedGeneration: 2',
      'observedGeneration: 3',
      1,
      /has observedGeneration 2, expected 3/,
    ],
    [
      'httproute-reference-grant.yaml',
      'expect: { status: 500 }',
      'expect: { status: 200 }',
      1,
      /after update 1: .*expected status 200, but answered 500/,
    ],
    [
      'httproute-hostname-intersection.yaml',
      'attachedRoutes: 2',
      'attachedRoutes: 3',
      1,
      /attachedRoutes is 2, expected 3/,
    ],
    [
      'httproute-request-mirror.yaml',
      'name: infra-backend-v2, port: 8080 }]',
      'name: infra-backend-v3, port: 8080 }]',
      1,
      /no mirrored copy to Service .*infra-backend-v3/,
    ],
    [
      'httproute-response-header-modifier.yaml',
      'X-Header-Set: set-overwrites-values } }',
      'X-Header-Set: some-other-value } }',
      2,
      /response header X-Header-Set: got "set-overwrites-values"/,
    ],
  ];

describe('core target', () => {
  it.each(mutations)(
    '%s passes as written and fails when %j becomes %j',
    async (file, from, to, occurrence, expected) => {
      const original = source(file);
      expect(await problemsOf(original)).toEqual([]);
      const problems = await problemsOf(replaceOnce(original, from, to, occurrence));
      expect(problems.length).toBeGreaterThan(0);
      expect(problems.join('\n')).toMatch(expected);
    },
  );

  it('shows a weighted decision exactly, without sampling', async () => {
    const caseFile = parseCaseFile(source('httproute-weight.yaml'), 'weight.yaml');
    const session = await coreTarget().open(caseFile);
    const request = caseFile.requests[0]?.request;
    expect(request).toBeDefined();
    const observation = await session.send({
      method: 'GET',
      scheme: 'http',
      port: 80,
      path: request!.path,
      headers: {},
      gateway: caseFile.gateway ?? {
        namespace: 'gateway-conformance-infra',
        name: 'same-namespace',
      },
      protocol: 'HTTP/1.1',
      websocket: false,
    });
    expect(observation.kind).toBe('split');
    const shares = observation.kind === 'split' ? observation.outcomes.map((o) => o.weight) : [];
    expect(shares).toEqual([70, 30]);
  });

  it('skips what a decision cannot show, and response.echo when echo is off', () => {
    const target = coreTarget({ echoResponseHeaders: false });
    for (const what of [
      'timeout',
      'delay',
      'retry',
      'websocket',
      'backends.sampled',
      'response.echo',
    ] as const) {
      expect(target.canObserve(what)).toBe(false);
    }
    expect(coreTarget().canObserve('response.echo')).toBe(true);
    expect(target.supports('TLSRoute')).toBe(false);
    expect(target.supports('Delegation')).toBe(true);
  });

  it('plays the echo backend knob x-echo-set-header', () => {
    const request = {
      headers: { 'X-Echo-Set-Header': ['A:1,B: two'] },
    } as unknown as NormalizedRequest;
    expect(echoSetHeaders(request)).toEqual({ A: ['1'], B: ['two'] });
  });
});
