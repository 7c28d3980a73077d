/**
 * `switchyard routes` and `switchyard graph`: snapshots on the example and on cases with rejected,
 * cyclic and shared children (through the built CLI), and a sweep of every routing case file
 * (in-process): `routes` prints the core's table, `graph` draws every accepted child under the
 * rule that selected it and marks every rejected one.
 */
import { readFileSync } from 'node:fs';
import { compile, formatTable } from '@switchyard/core';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { casesRoot, ensureBuilt, runBuilt } from './helpers/built-cli.js';
import { listYaml } from './helpers/files.js';
import { runInProcess } from './helpers/in-process.js';

beforeAll(() => ensureBuilt(), 240_000);

const DELEGATION = 'packages/test-kit/cases/delegation';

describe('routes', () => {
  it('prints the flattened table of the example in precedence order', async () => {
    const result = await runBuilt(['routes', 'examples/delegation']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    await expect(result.stdout).toMatchFileSnapshot('__snapshots__/example.routes.txt');
  });

  it('--format json carries ranks, matches, chains and actions', async () => {
    const result = await runBuilt(['routes', 'examples/delegation', '--format', 'json']);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as {
      gateway: { namespace: string; name: string };
      listeners: {
        name: string;
        port: number;
        routes: {
          rank: number;
          match: { path: { value: string } };
          chain: { name: string }[];
          action: { kind: string };
        }[];
      }[];
    };
    expect(json.gateway).toEqual({ namespace: 'kgateway-system', name: 'http' });
    const routes = json.listeners[0]!.routes;
    expect(routes.map((r) => r.rank)).toEqual(routes.map((_, i) => i));
    expect(routes.map((r) => r.match.path.value)).toContain('/insurance/quotes');
    expect(routes.every((r) => r.chain[0]!.name === 'api' && r.action.kind === 'forward')).toBe(
      true,
    );
  });
});

describe('graph', () => {
  it('mermaid: Gateway → parent rules → children → backends, for the example', async () => {
    const result = await runBuilt(['graph', 'examples/delegation']);
    expect(result.code).toBe(0);
    await expect(result.stdout).toMatchFileSnapshot('__snapshots__/example.graph.mmd');
  });

  it('dot, for the example', async () => {
    const result = await runBuilt(['graph', 'examples/delegation', '--format', 'dot']);
    expect(result.code).toBe(0);
    await expect(result.stdout).toMatchFileSnapshot('__snapshots__/example.graph.dot');
  });

  it('marks rejected children with their reason (hostnames on a child, an unresolved delegation)', async () => {
    const result = await runBuilt(['graph', `${DELEGATION}/rule-12-hostnames.yaml`]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /rule_infra_api_0 -\.->\|"rejected: UnsupportedValue: spec\.hostnames: a delegated child must not set hostnames[^"]*"\| route_team_a_a_host/,
    );
    expect(result.stdout).toMatch(/rule_infra_api_0 -->\|"delegates"\| route_team_a_a_ok/);
    expect(result.stdout).toMatch(/^ {2}class .*route_team_a_a_host.* rejected$/m);
    await expect(result.stdout).toMatchFileSnapshot('__snapshots__/rule-12-hostnames.graph.mmd');
  });

  it('draws a cycle once, with a marked edge back', async () => {
    const result = await runBuilt(['graph', `${DELEGATION}/rule-15-cycle.yaml`, '--format', 'dot']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/-> "route_team_b_b1" \[label="cycle: ignored", style="dashed"/);
    await expect(result.stdout).toMatchFileSnapshot('__snapshots__/rule-15-cycle.graph.dot');
  });

  it('draws a child shared by two parents (a diamond) once, under both', async () => {
    const result = await runBuilt(['graph', `${DELEGATION}/rule-14-diamond.yaml`]);
    expect(result.code).toBe(0);
    await expect(result.stdout).toMatchFileSnapshot('__snapshots__/rule-14-diamond.graph.mmd');
  });

  it('is stable: the same input gives the same bytes', async () => {
    const [a, b] = await Promise.all([
      runBuilt(['graph', 'examples/delegation']),
      runBuilt([
        'graph',
        'examples/delegation/platform',
        'examples/delegation/payments',
        'examples/delegation/insurance',
        'examples/delegation/banking',
      ]),
    ]);
    expect(a.stdout).toBe(b.stdout);
  });
});

describe('every routing case file, in-process', () => {
  const files = listYaml(casesRoot);

  it('routes prints the core table and graph is well-formed, with every child where its status says', async () => {
    let children = 0;
    for (const file of files) {
      const caseFile = parse(readFileSync(file, 'utf8')) as {
        objects: unknown[];
        gateway?: { namespace: string; name: string };
        options?: Record<string, unknown>;
      };
      const compiled = compile(caseFile.objects, {
        ...caseFile.options,
        ...(caseFile.gateway ? { gateway: caseFile.gateway } : {}),
      });

      const routes = await runInProcess(['routes', file]);
      expect(routes.code, file).toBe(0);
      expect(routes.stdout.trimEnd(), file).toBe(
        formatTable(compiled.table) || '(no Gateway, no routes)',
      );

      const mermaid = await runInProcess(['graph', file]);
      expect(mermaid.code, file).toBe(0);
      const lines = mermaid.stdout.trimEnd().split('\n');
      expect(lines[0]).toBe('flowchart LR');
      const declared = new Set(lines.flatMap((l) => /^ {2}(\w+)[[({>]/.exec(l)?.[1] ?? []));
      for (const line of lines) {
        const edge = /^ {2}(\w+) -\.?->(?:\|"[^"]*"\|)? (\w+)$/.exec(line);
        if (edge) {
          expect(declared.has(edge[1]!), `${file}: ${line}`).toBe(true);
          expect(declared.has(edge[2]!), `${file}: ${line}`).toBe(true);
        }
      }
      const gateway = compiled.table.gateway;
      if (gateway === undefined) {
        expect(lines, file).toEqual(['flowchart LR']);
        continue;
      }
      // Every child evaluated under a parent that is drawn appears with an edge into it from a
      // rule of that parent: solid when accepted, dashed when rejected.
      const drawnRoutes = new Set([...declared].filter((id) => id.startsWith('route_')));
      for (const status of compiled.statuses) {
        for (const parent of status.parents) {
          if (parent.parentRef.kind !== 'HTTPRoute') continue;
          const parentId = `route_${parent.parentRef.namespace}_${parent.parentRef.name}`.replace(
            /[^A-Za-z0-9]+/g,
            '_',
          );
          if (!drawnRoutes.has(parentId)) continue;
          const childId = `route_${status.namespace}_${status.name}`.replace(/[^A-Za-z0-9]+/g, '_');
          const accepted = parent.conditions.some(
            (c) => c.type === 'Accepted' && c.status === 'True',
          );
          const into = lines.filter(
            (l) =>
              l.startsWith(`  rule_${parentId.slice('route_'.length)}_`) &&
              l.endsWith(` ${childId}`),
          );
          expect(
            into.length,
            `${file}: ${status.namespace}/${status.name} under ${parent.parentRef.name}`,
          ).toBeGreaterThan(0);
          if (!accepted)
            expect(
              into.every((l) => l.includes('-.->')),
              `${file}: ${childId}`,
            ).toBe(true);
          children++;
        }
      }

      const dot = await runInProcess(['graph', file, '--format', 'dot']);
      expect(dot.code, file).toBe(0);
      expect(dot.stdout.startsWith('digraph switchyard {\n')).toBe(true);
      expect(dot.stdout.endsWith('}\n')).toBe(true);
    }
    expect(children).toBeGreaterThan(50);
  });
});
