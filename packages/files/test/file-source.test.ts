/**
 * The file source over real files and real `fs.watch`: what it reads (multi-document YAML,
 * `kind: List`, JSON, case files, nested folders), how it reacts to edits (debounced, one atomic
 * swap per quiet period), and its promise about broken files: reported with file and line, their
 * last good objects kept, nothing else changed.
 */
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolve, type Decision, type RouteTable } from '@switchyard/core';
import { parseAllDocuments, stringify } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileSource, type FileSource, type FileSourceReport } from '../src/index.js';

let dir: string;
let source: FileSource | undefined;
let reports: FileSourceReport[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-file-source-'));
  reports = [];
});

afterEach(() => {
  source?.close();
  source = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const GATEWAY = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: http, namespace: infra }
spec:
  gatewayClassName: switchyard
  listeners:
    - { name: http, port: 8080, protocol: HTTP, allowedRoutes: { namespaces: { from: All } } }
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: api, namespace: infra }
spec:
  parentRefs: [{ name: http }]
  hostnames: [api.example.com]
  rules:
    - matches: [{ path: { type: PathPrefix, value: /a } }]
      backendRefs: [{ group: delegation.kgateway.dev, kind: label, name: a, namespace: all }]
    - matches: [{ path: { type: PathPrefix, value: /b } }]
      backendRefs: [{ group: delegation.kgateway.dev, kind: label, name: b, namespace: all }]
`;

function team(name: 'a' | 'b', paths: readonly string[]): string {
  return `apiVersion: v1
kind: Service
metadata: { name: svc, namespace: team-${name} }
spec: { ports: [{ port: 8080 }] }
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: routes
  namespace: team-${name}
  labels: { delegation.kgateway.dev/label: ${name} }
spec:
  rules:
${paths.map((p) => `    - matches: [{ path: { type: PathPrefix, value: ${p} } }]\n      backendRefs: [{ name: svc, port: 8080 }]`).join('\n')}
`;
}

function where(table: RouteTable, path: string): string {
  const decision: Decision = resolve(table, { method: 'GET', host: 'api.example.com', path });
  return decision.kind === 'forward'
    ? `${decision.backends[0]!.namespace}`
    : String(decision.status);
}

function open(paths = [dir], debounceMs = 50): FileSource {
  source = createFileSource({ paths, debounceMs, onReport: (r) => reports.push(r) });
  return source;
}

/** Resolves when a report of `kind` arrives (after `since` reports), or fails after `ms`. */
async function nextReport(
  kind: FileSourceReport['kind'],
  since = reports.length,
  ms = 5_000,
): Promise<FileSourceReport> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = reports.slice(since).find((r) => r.kind === kind);
    if (found) return found;
    if (Date.now() > deadline)
      throw new Error(
        `no ${kind} report within ${ms} ms; got ${JSON.stringify(reports.map((r) => r.kind))}`,
      );
    await new Promise((r) => setTimeout(r, 10));
  }
}

const settle = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('reading', () => {
  it('reads folders recursively: multi-document YAML, kind: List and JSON', () => {
    mkdirSync(join(dir, 'platform'));
    mkdirSync(join(dir, 'teams/b'), { recursive: true });
    writeFileSync(join(dir, 'platform/gateway.yaml'), GATEWAY);
    const teamA = parseAllDocuments(team('a', ['/a/x'])).map((d) => d.toJS() as unknown);
    writeFileSync(
      join(dir, 'teams/a-list.yml'),
      stringify({ apiVersion: 'v1', kind: 'List', items: teamA }),
    );
    const teamB = [
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'svc', namespace: 'team-b' },
        spec: { ports: [{ port: 8080 }] },
      },
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: {
          name: 'routes',
          namespace: 'team-b',
          labels: { 'delegation.kgateway.dev/label': 'b' },
        },
        spec: {
          rules: [
            {
              matches: [{ path: { type: 'PathPrefix', value: '/b/y' } }],
              backendRefs: [{ name: 'svc', port: 8080 }],
            },
          ],
        },
      },
    ];
    writeFileSync(
      join(dir, 'teams/b/routes.json'),
      JSON.stringify({ apiVersion: 'v1', kind: 'List', items: teamB }, null, '\t'),
    );
    writeFileSync(join(dir, 'teams/notes.txt'), 'not read: not a manifest extension');
    const fileSource = open();
    expect(fileSource.objects()).toHaveLength(6);
    expect(where(fileSource.current(), '/a/x')).toBe('team-a');
    expect(where(fileSource.current(), '/b/y')).toBe('team-b');
    const json = fileSource
      .objects()
      .find(
        (o) =>
          o.location.file.endsWith('routes.json') &&
          (o.value as { kind: string }).kind === 'HTTPRoute',
      )!;
    const jsonLines = readFileSync(join(dir, 'teams/b/routes.json'), 'utf8').split('\n');
    const secondItem = jsonLines.findIndex(
      (l, i) => l === '\t\t{' && jsonLines.indexOf('\t\t{') < i,
    );
    expect(json.location).toMatchObject({ line: secondItem + 1, column: 3 });
    expect(reports[0]).toMatchObject({ kind: 'load', files: 3, objects: 6, problems: [] });
  });

  it('maps every object and field path to its line', () => {
    writeFileSync(
      join(dir, 'all.yaml'),
      `# comment\n${GATEWAY}---\n${team('a', ['/a/x', '/a/y'])}`,
    );
    const fileSource = open();
    const route = fileSource
      .objects()
      .find((o) => (o.value as { metadata: { name: string } }).metadata.name === 'routes')!;
    expect(route.location).toMatchObject({ line: 27, column: 1 });
    expect(route.locate('spec.rules[1].matches[0].path.value')).toMatchObject({ line: 37 });
    expect(route.locate('spec.rules[7]')).toMatchObject({ line: route.locate('spec.rules').line });
  });

  it('throws for a path that does not exist', () => {
    expect(() => open([join(dir, 'missing')])).toThrow(/no such file or directory/);
  });
});

describe('changes', () => {
  it('recompiles after an edit, swaps the table atomically and says what changed', async () => {
    writeFileSync(join(dir, 'gateway.yaml'), GATEWAY);
    writeFileSync(join(dir, 'a.yaml'), team('a', ['/a/x']));
    const fileSource = open();
    const before = fileSource.current();
    const seen: RouteTable[] = [];
    fileSource.subscribe((table) => {
      // Subscribers are told after the swap: current() already is the new table.
      expect(fileSource.current()).toBe(table);
      seen.push(table);
    });
    const since = reports.length;
    writeFileSync(join(dir, 'a.yaml'), team('a', ['/a/x', '/a/z']));
    const report = await nextReport('reload', since);
    expect(report).toMatchObject({
      kind: 'reload',
      changed: [join(dir, 'a.yaml')],
      added: [],
      removed: [],
    });
    if (report.kind !== 'reload') return;
    expect(report.changes.addedRoutes).toEqual([
      'http: api.example.com  PathPrefix /a/z  infra/api#0 > team-a/routes#1  => forward team-a/svc:8080 w1',
    ]);
    expect(report.changes.removedRoutes).toEqual([]);
    expect(seen).toHaveLength(1);
    expect(fileSource.current()).not.toBe(before);
    expect(Object.isFrozen(fileSource.current())).toBe(true);
    // The old table is untouched: a request that started on it finishes on it.
    expect(where(before, '/a/z')).toBe('404');
    expect(where(fileSource.current(), '/a/z')).toBe('team-a');
  });

  it('debounces: a burst of writes is one reload', async () => {
    writeFileSync(join(dir, 'gateway.yaml'), GATEWAY);
    writeFileSync(join(dir, 'a.yaml'), team('a', ['/a/x']));
    const fileSource = open([dir], 150);
    let swaps = 0;
    fileSource.subscribe(() => swaps++);
    const since = reports.length;
    for (let i = 0; i < 5; i++) {
      writeFileSync(join(dir, 'a.yaml'), team('a', ['/a/x', `/a/burst${i}`]));
      await settle(20);
    }
    await nextReport('reload', since);
    await settle(400);
    expect(swaps).toBe(1);
    expect(reports.slice(since).filter((r) => r.kind === 'reload')).toHaveLength(1);
    expect(where(fileSource.current(), '/a/burst4')).toBe('team-a');
    expect(where(fileSource.current(), '/a/burst3')).toBe('404');
  });

  it('a broken file is reported with file and line; its last good objects stay; other files still change', async () => {
    writeFileSync(join(dir, 'gateway.yaml'), GATEWAY);
    writeFileSync(join(dir, 'a.yaml'), team('a', ['/a/x']));
    writeFileSync(join(dir, 'b.yaml'), team('b', ['/b/x']));
    const fileSource = open();
    const since = reports.length;
    writeFileSync(join(dir, 'a.yaml'), `${team('a', ['/a/x', '/a/new'])}  broken: [unclosed\n`);
    const error = await nextReport('parse-error', since);
    expect(error).toMatchObject({
      kind: 'parse-error',
      keptObjects: 2,
      problem: { location: { file: join(dir, 'a.yaml'), line: expect.any(Number) as number } },
    });
    if (error.kind !== 'parse-error') return;
    expect(error.problem.location.line).toBeGreaterThanOrEqual(16);
    expect(fileSource.problems()).toHaveLength(1);
    // team-a keeps its last good routes (and does not get the half-written new one).
    expect(where(fileSource.current(), '/a/x')).toBe('team-a');
    expect(where(fileSource.current(), '/a/new')).toBe('404');

    // Meanwhile team-b changes its file: that change goes live, team-a's last good objects stay.
    const since2 = reports.length;
    writeFileSync(join(dir, 'b.yaml'), team('b', ['/b/x', '/b/y']));
    await nextReport('reload', since2);
    expect(where(fileSource.current(), '/b/y')).toBe('team-b');
    expect(where(fileSource.current(), '/a/x')).toBe('team-a');

    // Fixing the file brings its new text in.
    const since3 = reports.length;
    writeFileSync(join(dir, 'a.yaml'), team('a', ['/a/x', '/a/new']));
    await nextReport('reload', since3);
    expect(reports.slice(since3).some((r) => r.kind === 'recovered')).toBe(true);
    expect(where(fileSource.current(), '/a/new')).toBe('team-a');
    expect(fileSource.problems()).toEqual([]);
  });

  it('a file that never parsed contributes nothing and the rest is served', () => {
    writeFileSync(join(dir, 'gateway.yaml'), GATEWAY);
    writeFileSync(join(dir, 'a.yaml'), 'kind: [\n');
    writeFileSync(join(dir, 'b.yaml'), team('b', ['/b/x']));
    const fileSource = open();
    expect(reports[0]).toMatchObject({
      kind: 'load',
      problems: [{ location: { file: join(dir, 'a.yaml') } }],
    });
    expect(where(fileSource.current(), '/b/x')).toBe('team-b');
  });

  it('deleting a file removes its routes; editor-style saves (write + rename) are seen', async () => {
    writeFileSync(join(dir, 'gateway.yaml'), GATEWAY);
    writeFileSync(join(dir, 'a.yaml'), team('a', ['/a/x']));
    writeFileSync(join(dir, 'b.yaml'), team('b', ['/b/x']));
    const fileSource = open();
    let since = reports.length;
    rmSync(join(dir, 'a.yaml'));
    const removed = await nextReport('reload', since);
    expect(removed).toMatchObject({ removed: [join(dir, 'a.yaml')] });
    // With its children gone, the delegated prefix answers 500 rather than leaking elsewhere.
    expect(where(fileSource.current(), '/a/x')).toBe('500');

    since = reports.length;
    writeFileSync(join(dir, '.b.yaml.swp'), team('b', ['/b/x', '/b/saved']));
    renameSync(join(dir, '.b.yaml.swp'), join(dir, 'b.yaml'));
    await nextReport('reload', since);
    expect(where(fileSource.current(), '/b/saved')).toBe('team-b');
  });

  it('editor-style saves right after start, and again and again, are all seen (not only the first)', async () => {
    writeFileSync(join(dir, 'gateway.yaml'), GATEWAY);
    mkdirSync(join(dir, 'teams'));
    writeFileSync(join(dir, 'teams/b.yaml'), team('b', ['/b/x']));
    const fileSource = open();
    // Node 20's recursive watch on Linux missed the second of these saves (watched by inode).
    for (const [i, path] of ['/b/one', '/b/two', '/b/three'].entries()) {
      writeFileSync(join(dir, `teams/.b.yaml.swp${i}`), team('b', ['/b/x', path]));
      renameSync(join(dir, `teams/.b.yaml.swp${i}`), join(dir, 'teams/b.yaml'));
      await settle(150);
    }
    const deadline = Date.now() + 5_000;
    while (where(fileSource.current(), '/b/three') !== 'team-b' && Date.now() < deadline)
      await settle(20);
    expect(where(fileSource.current(), '/b/three')).toBe('team-b');
    expect(where(fileSource.current(), '/b/two')).toBe('404');
  });

  it('watches a single file given directly, through its folder', async () => {
    writeFileSync(join(dir, 'gateway.yaml'), GATEWAY);
    writeFileSync(join(dir, 'a.yaml'), team('a', ['/a/x']));
    writeFileSync(join(dir, 'unwatched.yaml'), team('b', ['/b/x']));
    const fileSource = open([join(dir, 'gateway.yaml'), join(dir, 'a.yaml')]);
    expect(where(fileSource.current(), '/b/x')).toBe('500');
    const since = reports.length;
    writeFileSync(join(dir, 'unwatched.yaml'), team('b', ['/b/x', '/b/y']));
    await settle(300);
    expect(reports.slice(since).filter((r) => r.kind === 'reload')).toHaveLength(0);
    writeFileSync(join(dir, 'a.yaml'), team('a', ['/a/x', '/a/y']));
    await nextReport('reload', since);
    expect(where(fileSource.current(), '/a/y')).toBe('team-a');
  });

  it('comment-only edits do not swap the table; close() stops watching', async () => {
    writeFileSync(join(dir, 'gateway.yaml'), GATEWAY);
    writeFileSync(join(dir, 'a.yaml'), team('a', ['/a/x']));
    const fileSource = open();
    const table = fileSource.current();
    writeFileSync(join(dir, 'a.yaml'), `# just a comment\n${team('a', ['/a/x'])}`);
    await settle(300);
    expect(fileSource.current()).toBe(table);
    fileSource.close();
    const since = reports.length;
    writeFileSync(join(dir, 'a.yaml'), team('a', ['/a/x', '/a/after-close']));
    await settle(300);
    expect(reports.length).toBe(since);
    expect(fileSource.current()).toBe(table);
  });

  it('reload() re-reads on demand without a watcher', () => {
    writeFileSync(join(dir, 'gateway.yaml'), GATEWAY);
    writeFileSync(join(dir, 'a.yaml'), team('a', ['/a/x']));
    source = createFileSource({ paths: [dir], watch: false });
    expect(source.reload()).toBe(false);
    writeFileSync(join(dir, 'a.yaml'), team('a', ['/a/x', '/a/manual']));
    expect(source.reload()).toBe(true);
    expect(where(source.current(), '/a/manual')).toBe('team-a');
  });
});
