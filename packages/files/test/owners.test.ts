/**
 * The owner model of file mode and the fixed served Gateway (delegation.md rule 24 in file mode,
 * issue (a)): over a real copy of examples/delegation, a team's folder tries to declare another
 * team's route or its own Gateway, and the owners file itself breaks. Each attempt is refused with
 * the file, the object and the rule, and the other teams' traffic does not move.
 */
import { cpSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolve, type RouteTable } from '@switchyard/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createFileSource,
  OwnersFileError,
  selectGateway,
  type FileSource,
  type FileSourceReport,
} from '../src/index.js';

const EXAMPLE = new URL('../../../examples/delegation', import.meta.url).pathname;

let dir: string;
let source: FileSource | undefined;
let reports: FileSourceReport[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-owners-'));
  cpSync(EXAMPLE, dir, { recursive: true });
  reports = [];
});

afterEach(() => {
  source?.close();
  source = undefined;
  rmSync(dir, { recursive: true, force: true });
});

function open(): FileSource {
  source = createFileSource({ paths: [dir], watch: false, onReport: (r) => reports.push(r) });
  return source;
}

/** `namespace/name` of the backend a GET lands on, or the status. */
function where(table: RouteTable, path: string, host = 'api.example.com'): string {
  const decision = resolve(table, { method: 'GET', host, port: 8080, path });
  if (decision.kind !== 'forward') return String(decision.status);
  const backend = decision.backends[0]!;
  return `${backend.namespace}/${backend.name}`;
}

const HIJACK_PAYMENTS = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: payments
  namespace: payments
  labels: { delegation.kgateway.dev/label: payments-bff }
spec:
  rules:
    - matches: [{ path: { type: PathPrefix, value: /payments } }]
      backendRefs: [{ name: accounts, namespace: banking, port: 8080 }]
`;

const TEAM_GATEWAY = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: banking-gw, namespace: banking }
spec:
  gatewayClassName: switchyard
  listeners:
    - { name: http, port: 8080, protocol: HTTP, allowedRoutes: { namespaces: { from: All } } }
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: everything, namespace: banking }
spec:
  parentRefs: [{ name: banking-gw }]
  rules:
    - backendRefs: [{ name: accounts, port: 8080 }]
`;

describe('rule 24 in file mode: a folder declares only the namespaces it owns', () => {
  it("a file in banking's folder declaring HTTPRoute payments/payments is refused, and payments keeps its traffic", () => {
    writeFileSync(join(dir, 'banking/steal.yaml'), HIJACK_PAYMENTS);
    const table = open().current();
    expect(where(table, '/payments/charge')).toBe('payments/payments-bff');
    expect(where(table, '/banking/accounts')).toBe('banking/accounts');
    const refusals = source!.refusals();
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatchObject({
      rule: 'owners/namespace',
      object: { kind: 'HTTPRoute', namespace: 'payments', name: 'payments' },
      location: { file: join(dir, 'banking/steal.yaml'), line: 1 },
    });
    expect(refusals[0]!.message).toContain('folder "banking" does not own namespace payments');
    const load = reports.find((r) => r.kind === 'load');
    expect(load?.kind === 'load' && load.refusals).toEqual(refusals);
  });

  it('the owning folder wins even when the intruding file comes first in file order', () => {
    // "aaa" sorts before "payments": without owners the first declaration would be the stolen one.
    cpSync(join(dir, 'banking'), join(dir, 'aaa'), { recursive: true });
    rmSync(join(dir, 'aaa/routes.yaml'));
    writeFileSync(join(dir, 'aaa/steal.yaml'), HIJACK_PAYMENTS);
    const table = open().current();
    expect(where(table, '/payments/charge')).toBe('payments/payments-bff');
    expect(source!.refusals().map((r) => r.rule)).toEqual(['owners/unowned-folder']);
  });

  it('a second declaration of the same object inside the owning folder is refused, naming the first', () => {
    writeFileSync(join(dir, 'payments/zz-again.yaml'), HIJACK_PAYMENTS);
    const table = open().current();
    expect(where(table, '/payments/charge')).toBe('payments/payments-bff');
    const [refusal] = source!.refusals();
    expect(refusal?.rule).toBe('owners/duplicate');
    expect(refusal?.message).toContain(join(dir, 'payments/routes.yaml'));
  });

  it("a team folder's Gateway is refused: traffic stays on the platform's Gateway", () => {
    writeFileSync(join(dir, 'banking/gateway.yaml'), TEAM_GATEWAY);
    const table = open().current();
    expect(table.gateway).toEqual({ namespace: 'kgateway-system', name: 'http' });
    expect(where(table, '/insurance/quotes')).toBe('insurance/quotes');
    expect(source!.refusals().map((r) => [r.rule, r.object.kind])).toEqual([
      ['owners/gateways', 'Gateway'],
    ]);
  });

  it('without an owners file everything is compiled and the load report says there is no owner model', () => {
    unlinkSync(join(dir, 'owners.yaml'));
    writeFileSync(join(dir, 'banking/steal.yaml'), HIJACK_PAYMENTS);
    open();
    const load = reports.find((r) => r.kind === 'load');
    expect(load?.kind === 'load' && load.owners).toBeUndefined();
    expect(source!.refusals()).toEqual([]);
  });

  it("a team's own owners.yaml in its folder, or in a second served path, grants nothing", () => {
    const grant = 'owners:\n  - { folder: ., namespaces: [payments, banking], gateways: true }\n';
    writeFileSync(join(dir, 'banking/owners.yaml'), grant);
    writeFileSync(join(dir, 'banking/steal.yaml'), HIJACK_PAYMENTS);
    source = createFileSource({ paths: [dir, join(dir, 'banking')], watch: false });
    expect(where(source.current(), '/payments/charge')).toBe('payments/payments-bff');
    expect(source.refusals().map((r) => r.rule)).toEqual(['owners/namespace']);
    source.close();
    unlinkSync(join(dir, 'owners.yaml'));
    // Without the platform's owners file, the team's second path still brings none of its own.
    source = createFileSource({
      paths: [dir, join(dir, 'banking')],
      watch: false,
      onReport: (r) => reports.push(r),
    });
    const load = reports.find((r) => r.kind === 'load');
    expect(load?.kind === 'load' && load.owners).toBeUndefined();
  });

  it.each([
    ['owners: {}', 'owners: must be a list', 1],
    ['owners:\n  - { folder: ../elsewhere, namespaces: [x] }', 'outside the folder', 2],
    [
      'owners:\n  - { folder: a, namespaces: [x] }\n  - { folder: b, namespaces: [x] }',
      'namespace x is already owned by folder "a"',
      3,
    ],
    ['owners:\n  - { folder: a, namespace: [x] }', 'owners[0].namespace: unknown field', 2],
    ['owners: [', 'Flow sequence', 1],
  ])(
    'a malformed owners file (%j) is an error naming file:line, not "no owners"',
    (text, message, line) => {
      writeFileSync(join(dir, 'owners.yaml'), text);
      let thrown: unknown;
      try {
        open();
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(OwnersFileError);
      const problem = (thrown as OwnersFileError).problem;
      expect(problem.message).toContain(message);
      expect(problem.location).toMatchObject({ file: join(dir, 'owners.yaml'), line });
    },
  );
});

describe('the served Gateway is fixed at start', () => {
  it('a Gateway added by a reload does not take the traffic (no owners file to stop it)', () => {
    unlinkSync(join(dir, 'owners.yaml'));
    const first = open().current();
    writeFileSync(join(dir, 'banking/gateway.yaml'), TEAM_GATEWAY);
    expect(source!.reload()).toBe(true);
    expect(source!.current().gateway).toEqual(first.gateway);
    expect(where(source!.current(), '/insurance/quotes')).toBe('insurance/quotes');
  });

  it('when the served Gateway disappears the last good table keeps serving and the reload says why', () => {
    open();
    const before = source!.current();
    writeFileSync(
      join(dir, 'platform/gateway.yaml'),
      'apiVersion: v1\nkind: Namespace\nmetadata: { name: kgateway-system }\n',
    );
    expect(source!.reload()).toBe(false);
    expect(source!.current()).toBe(before);
    const refused = reports.find((r) => r.kind === 'reload-refused');
    expect(refused?.kind === 'reload-refused' && refused.reason).toContain(
      'the served Gateway kgateway-system/http is no longer among the objects',
    );
  });

  it('deleting the owners file does not switch the owner model off: the reload is refused', () => {
    open();
    const before = source!.current();
    unlinkSync(join(dir, 'owners.yaml'));
    writeFileSync(join(dir, 'banking/steal.yaml'), HIJACK_PAYMENTS);
    expect(source!.reload()).toBe(false);
    expect(source!.current()).toBe(before);
    expect(where(source!.current(), '/payments/charge')).toBe('payments/payments-bff');
    expect(reports.find((r) => r.kind === 'reload-refused')).toMatchObject({
      reason: expect.stringContaining('the owners file is gone'),
    });
  });

  it('when the owners file stops parsing the last good table and owners stay', () => {
    open();
    const before = source!.current();
    writeFileSync(join(dir, 'owners.yaml'), 'owners: [');
    writeFileSync(join(dir, 'banking/steal.yaml'), HIJACK_PAYMENTS);
    expect(source!.reload()).toBe(false);
    expect(source!.current()).toBe(before);
    const refused = reports.find((r) => r.kind === 'reload-refused');
    expect(refused?.kind === 'reload-refused' && refused.problem?.location.file).toBe(
      join(dir, 'owners.yaml'),
    );
  });
});

describe('selectGateway', () => {
  const gateway = (namespace: string, name: string): unknown => ({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { namespace, name },
  });

  it('picks the only Gateway, or the wanted one, and otherwise says why as data', () => {
    expect(selectGateway([gateway('a', 'x')], undefined)).toMatchObject({
      ok: true,
      how: 'only',
      gateway: { namespace: 'a', name: 'x' },
    });
    const two = [gateway('b', 'y'), gateway('a', 'x')];
    expect(selectGateway(two, { namespace: 'b', name: 'y' })).toMatchObject({
      ok: true,
      how: 'wanted',
    });
    expect(selectGateway(two, undefined)).toMatchObject({
      ok: false,
      reason: 'ambiguous',
      among: [
        { namespace: 'a', name: 'x' },
        { namespace: 'b', name: 'y' },
      ],
    });
    expect(selectGateway(two, { namespace: 'c', name: 'z' })).toMatchObject({
      ok: false,
      reason: 'not-found',
    });
    expect(
      selectGateway([{ kind: 'Gateway', metadata: { name: 'no-api-version' } }], undefined),
    ).toMatchObject({
      ok: false,
      reason: 'none',
    });
  });
});
