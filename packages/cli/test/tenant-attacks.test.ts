/**
 * Hostile tenants (delegation.md section 9) against a running gateway: the built CLI serves a
 * copy of examples/delegation with hot reload, real sockets and demo backends; the banking team
 * then edits only its own folder, one attack at a time. For each attack:
 *
 * - traffic: every other team's request gets exactly the same answer (status, backend, upstream
 *   path) as before the attack (section 8);
 * - check: `check -n <other team>` prints the same bytes with exit 0, and `check -n banking` fails
 *   with the annotation on banking's own file (rule 27).
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureBuilt,
  exampleDir,
  runBuilt,
  startBuilt,
  type RunningCli,
} from './helpers/built-cli.js';
import { freeBackendsFile, send } from './helpers/http.js';

const VICTIMS = ['insurance', 'payments'] as const;

/** Requests of the other teams, some in the encoded forms an attacker would aim at. */
const PROBES: { method: string; path: string; headers?: Record<string, string> }[] = [
  { method: 'POST', path: '/payments/charge' },
  { method: 'POST', path: '/payments/refund/ord-1001' },
  { method: 'GET', path: '/payments/providers/acme/status' },
  { method: 'GET', path: '/payments/charge/%2e%2e/refund' },
  { method: 'GET', path: '/banking/%2e%2e/payments/charge' },
  { method: 'GET', path: '/banking/.%2E/insurance/quotes' },
  { method: 'GET', path: '/insurance/quotes?product=home' },
  { method: 'GET', path: '/insurance/claims/7', headers: { 'x-api-version': '2' } },
  { method: 'GET', path: '/insurance/claims/7' },
  { method: 'GET', path: '/payments' },
];

let scratch: string;
let dir: string;
let serve: RunningCli;
let base: string;
let before: { traffic: string[]; checks: Map<string, { code: number | null; stdout: string }> };

async function traffic(): Promise<string[]> {
  const answers: string[] = [];
  for (const probe of PROBES) {
    const answer = await send(`${base}${probe.path}`, {
      method: probe.method,
      headers: { host: 'api.example.com', ...probe.headers },
    });
    const echoed =
      answer.status === 200
        ? (JSON.parse(answer.body) as { backend: string; path: string })
        : undefined;
    answers.push(
      `${probe.method} ${probe.path} -> ${answer.status} ${echoed?.backend ?? '-'} ${echoed?.path ?? '-'}`,
    );
  }
  return answers;
}

async function victimChecks(): Promise<Map<string, { code: number | null; stdout: string }>> {
  const results = new Map<string, { code: number | null; stdout: string }>();
  for (const team of VICTIMS) {
    const result = await runBuilt(['check', '.', '-n', team, '--format', 'github'], { cwd: dir });
    results.set(team, { code: result.code, stdout: result.stdout });
  }
  return results;
}

/** Writes banking/<name>.yaml, waits for the reload, runs `body`, then removes the file again. */
async function withAttack(name: string, yaml: string, body: () => Promise<void>): Promise<void> {
  const file = join(dir, 'banking', `${name}.yaml`);
  writeFileSync(file, yaml);
  try {
    await serve.waitFor(
      new RegExp(`reload: added banking/${name}\\.yaml[\\s\\S]*?table: `),
      60_000,
    );
    await body();
  } finally {
    rmSync(file, { force: true });
    await serve.waitFor(
      new RegExp(`reload: removed banking/${name}\\.yaml[\\s\\S]*?table: `),
      60_000,
    );
  }
}

/** The other teams' traffic is unchanged while the attack is loaded. */
function trafficUnchanged(name: string, yaml: string): () => Promise<void> {
  return () =>
    withAttack(name, yaml, async () => {
      expect(await traffic()).toEqual(before.traffic);
    });
}

/**
 * The other teams' check is unchanged; banking's fails with an error annotation on the attack's
 * file that says why (`reason`).
 */
function checkReportsIt(name: string, yaml: string, reason: RegExp): () => Promise<void> {
  return () =>
    withAttack(name, yaml, async () => {
      expect(await victimChecks()).toEqual(before.checks);
      const banking = await runBuilt(['check', '.', '-n', 'banking', '--format', 'github'], {
        cwd: dir,
      });
      expect(banking.code).toBe(1);
      const annotations = banking.stdout
        .split('\n')
        .filter((line) => new RegExp(`^::error file=banking/${name}\\.yaml,line=\\d+`).test(line));
      expect(annotations.join('\n')).toMatch(reason);
    });
}

const route = (name: string, label: string, rules: string): string => `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: ${name}, namespace: banking, labels: { delegation.kgateway.dev/label: ${label} } }
spec:
  rules:
${rules}`;

const DOTS = route(
  'dots',
  'banking-bff',
  `    - matches: [{ path: { type: PathPrefix, value: /banking/%2e%2e/payments } }]
      backendRefs: [{ name: accounts, port: 8080 }]
    - matches: [{ path: { type: PathPrefix, value: /banking/.%2E/insurance } }]
      backendRefs: [{ name: accounts, port: 8080 }]`,
);

/** 14 layers of 2 routes, each layer selecting the next by label: 2^14 flattened routes. */
const DIAMOND = Array.from({ length: 28 }, (_, i) => {
  const layer = Math.floor(i / 2);
  const next =
    layer < 13
      ? `[{ group: delegation.kgateway.dev, kind: label, name: d${layer + 1}, namespace: banking }]`
      : '[{ name: accounts, port: 8080 }]';
  return route(
    `d${layer}-${i % 2}`,
    layer === 0 ? 'banking-bff' : `d${layer}`,
    `    - matches: [{ path: { type: PathPrefix, value: /banking/d } }]
      backendRefs: ${next}`,
  );
}).join('\n---\n');

const FRAMING = route(
  'framing',
  'banking-bff',
  `    - matches: [{ path: { type: PathPrefix, value: /banking/framing } }]
      filters:
        - type: RequestHeaderModifier
          requestHeaderModifier:
            set:
              - { name: Transfer-Encoding, value: chunked }
              - { name: Content-Length, value: '0' }
              - { name: Host, value: payments.example.net }
      backendRefs: [{ name: accounts, port: 8080 }]`,
);

/** 889 characters (under the 1024 limit) whose compiled program has some 80,000 states. */
const HUGE_REGEX = route(
  'huge-regex',
  'banking-bff',
  `    - matches: [{ path: { type: RegularExpression, value: '/banking/${'[a-z]{1000}'.repeat(80)}' } }]
      backendRefs: [{ name: accounts, port: 8080 }]`,
);

const LABEL_SHARING = route(
  'lookalike',
  'payments-bff',
  `    - matches: [{ path: { type: PathPrefix, value: /payments/charge } }]
      backendRefs: [{ name: accounts, port: 8080 }]`,
);

const DIRECT = `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: direct, namespace: banking }
spec:
  parentRefs: [{ name: http, namespace: kgateway-system }]
  hostnames: [api.example.com]
  rules:
    - matches: [{ path: { type: PathPrefix, value: /payments } }]
      backendRefs: [{ name: accounts, port: 8080 }]
`;

const BY_NAME = route(
  'graft',
  'banking-bff',
  `    - matches: [{ path: { type: PathPrefix, value: /banking/graft } }]
      backendRefs: [{ group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: payments, name: payments }]`,
);

const SECOND_GATEWAY = `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: evil, namespace: banking }
spec:
  gatewayClassName: kgateway
  listeners: [{ name: http, protocol: HTTP, port: 8080, allowedRoutes: { namespaces: { from: All } } }]
---
${DIRECT.replace('name: direct', 'name: on-evil').replace('name: http, namespace: kgateway-system', 'name: evil')}`;

beforeAll(async () => {
  await ensureBuilt(['core', 'node', 'cli']);
  scratch = mkdtempSync(join(tmpdir(), 'switchyard-tenant-attacks-'));
  dir = join(scratch, 'example');
  cpSync(exampleDir, dir, { recursive: true });
  await freeBackendsFile(join(exampleDir, 'backends.local.yaml'), join(dir, 'backends.local.yaml'));
  // The Gateway is named, as in production: a second Gateway in a team folder must not be served.
  serve = startBuilt(
    [
      'serve',
      '.',
      '--gateway',
      'kgateway-system/http',
      '--demo-backends',
      '--port',
      '8080=0',
      '--debounce',
      '50',
      '--log-level',
      'silent',
    ],
    { cwd: dir },
  );
  const started = await serve.waitFor(/Ctrl-C to stop/, 60_000);
  const found = /listener http :8080 {2}→ {2}(http:\/\/\S+)/.exec(started);
  if (!found) throw new Error(`no listener address in:\n${started}`);
  base = found[1]!;
  before = { traffic: await traffic(), checks: await victimChecks() };
  expect(before.traffic.filter((line) => / -> 200 (payments|insurance)\//.test(line))).toHaveLength(
    9,
  );
  expect([...before.checks.values()].map((c) => c.code)).toEqual([0, 0]);
}, 240_000);

afterAll(async () => {
  await serve?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe(
  'a hostile banking team edits only its own folder while serve runs',
  { timeout: 120_000 },
  () => {
    describe('encoded dot segments (rule 24)', () => {
      it('traffic: no other team’s request changes', trafficUnchanged('dots', DOTS));
      it(
        'check: banking’s file is annotated, other teams unchanged',
        checkReportsIt(
          'dots',
          DOTS,
          /canonical form \/payments\) is outside the delegated prefix \/banking/,
        ),
      );
    });

    describe('fan-out through a diamond of label delegations (rule 25)', () => {
      it('traffic: no other team’s request changes', trafficUnchanged('diamond', DIAMOND));
      it('check: other teams unchanged', () =>
        withAttack('diamond', DIAMOND, async () => {
          expect(await victimChecks()).toEqual(before.checks);
        }));
    });

    describe('header modifiers on framing headers', () => {
      it('traffic: no other team’s request changes', trafficUnchanged('framing', FRAMING));
      it(
        'check: banking’s file is annotated, other teams unchanged',
        checkReportsIt('framing', FRAMING, /header "Transfer-Encoding" cannot be set/),
      );
    });

    describe('a huge regular expression (rule 26)', () => {
      it('traffic: no other team’s request changes', trafficUnchanged('huge-regex', HUGE_REGEX));
      it(
        'check: banking’s file is annotated, other teams unchanged',
        checkReportsIt('huge-regex', HUGE_REGEX, /regular expression too large/),
      );
    });

    describe('label sharing: a banking route carries payments’ label', () => {
      it('traffic: no other team’s request changes', trafficUnchanged('lookalike', LABEL_SHARING));
      it(
        'check: banking’s file is annotated, other teams unchanged',
        checkReportsIt('lookalike', LABEL_SHARING, /not attached: no parent route selects/),
      );
    });

    describe('direct attachment to the Gateway', () => {
      it('traffic: no other team’s request changes', trafficUnchanged('direct', DIRECT));
      it(
        'check: banking’s file is annotated, other teams unchanged',
        checkReportsIt('direct', DIRECT, /NotAllowedByListeners/),
      );
    });

    describe('selecting another namespace’s route by name (rule 27)', () => {
      it('traffic: no other team’s request changes', trafficUnchanged('graft', BY_NAME));
      it(
        'check: banking’s file is annotated, other teams unchanged',
        checkReportsIt('graft', BY_NAME, /grafts-foreign-routes.*\(affects payments\)/),
      );
    });

    describe('a second Gateway in the team folder', () => {
      it('traffic: no other team’s request changes', trafficUnchanged('gateway', SECOND_GATEWAY));
      it('check: other teams unchanged; banking’s Gateway is refused by the owners file on its own file; routes ignores it', () =>
        withAttack('gateway', SECOND_GATEWAY, async () => {
          expect(await victimChecks()).toEqual(before.checks);
          const banking = await runBuilt(['check', '.', '-n', 'banking'], { cwd: dir });
          expect(banking.code).toBe(1);
          expect(banking.stdout).toMatch(
            /banking\/[^:]+:\d+:\d+: Gateway banking\/evil: .*\[owners\/gateways\]/,
          );
          const routes = await runBuilt(['routes', '.'], { cwd: dir });
          expect(routes.code).toBe(0);
          expect(routes.stdout).not.toContain('banking/evil');
        }));
    });
  },
);
