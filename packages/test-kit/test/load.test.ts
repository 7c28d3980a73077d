import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CaseFileError,
  casesDir,
  externalCasesDir,
  listCaseFiles,
  loadCaseFiles,
  parseCaseFile,
  readCaseFiles,
} from '../src/index.js';

const VALID = `
name: Tiny
description: one route
features: [Gateway, HTTPRoute]
objects:
  - { apiVersion: v1, kind: Namespace, metadata: { name: infra } }
requests:
  - request: { path: /x, headers: { a: "1", b: [x, y], c: 3600 } }
    expect: { backend: { namespace: infra, name: svc, port: 8080 } }
statuses:
  - route: infra/r
    parent: { name: gw }
    conditions: [{ type: Accepted, status: "True" }]
`;

function errorOf(source: string): CaseFileError {
  try {
    parseCaseFile(source, 'case.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(CaseFileError);
    return error as CaseFileError;
  }
  throw new Error('expected a CaseFileError');
}

function mutate(from: string, to: string): string {
  expect(VALID).toContain(from);
  return VALID.replace(from, to);
}

describe('parseCaseFile', () => {
  it('reads a valid file with defaults filled in and header scalars as text', () => {
    const caseFile = parseCaseFile(VALID, '/abs/case.yaml', 'case.yaml');
    expect(caseFile).toMatchObject({
      name: 'Tiny',
      level: 'core',
      provisional: false,
      options: {},
      updates: [],
    });
    expect(caseFile.requests[0]?.request.headers).toEqual({ a: '1', b: ['x', 'y'], c: '3600' });
    expect(caseFile.relativePath).toBe('case.yaml');
    expect(caseFile.unknownKeys).toEqual([]);
  });

  it('names the file and the field of the first problem', () => {
    const error = errorOf(mutate('port: 8080', 'port: eighty'));
    expect(error.file).toBe('case.yaml');
    expect(error.field).toBe('requests[0].expect.backend.port');
    expect(error.message).toBe(
      'case.yaml: requests[0].expect.backend.port: must be an integer in 1..65535, got string "eighty"',
    );
  });

  it.each([
    ['missing name', mutate('name: Tiny', ''), 'name', 'is required'],
    ['non-CamelCase name', mutate('name: Tiny', 'name: tiny-case'), 'name', 'must be CamelCase'],
    [
      'features not a list',
      mutate('[Gateway, HTTPRoute]', 'Gateway'),
      'features',
      'must be a list',
    ],
    [
      'two expectations',
      mutate('expect: {', 'expect: { status: 404,'),
      'requests[0].expect',
      'exactly one of',
    ],
    [
      'no expectation',
      mutate('expect: { backend: { namespace: infra, name: svc, port: 8080 } }', 'expect: {}'),
      'requests[0].expect',
      'got none',
    ],
    [
      'relative path',
      mutate('path: /x', 'path: x'),
      'requests[0].request.path',
      'must start with /',
    ],
    [
      'bad scheme',
      mutate('path: /x,', 'path: /x, scheme: ftp,'),
      'requests[0].request.scheme',
      'must be one of http, https',
    ],
    [
      'bad condition status',
      mutate('status: "True"', 'status: yes'),
      'statuses[0].conditions[0].status',
      'must be one of',
    ],
    [
      'route not namespace/name',
      mutate('route: infra/r', 'route: r'),
      'statuses[0].route',
      'namespace/name',
    ],
    [
      'object without kind',
      mutate('apiVersion: v1, kind: Namespace,', 'apiVersion: v1,'),
      'objects[0].kind',
      'is required',
    ],
  ])('rejects %s', (_label, source, field, problem) => {
    const error = errorOf(source);
    expect(error.field).toBe(field);
    expect(error.problem).toContain(problem);
  });

  it('reports invalid YAML as a whole-file problem', () => {
    const error = errorOf('name: [unclosed');
    expect(error.field).toBe('');
    expect(error.problem).toMatch(/^invalid YAML/);
  });

  it('collects unknown keys instead of failing, so the runner can skip', () => {
    const caseFile = parseCaseFile(
      mutate('expect: { backend:', 'expect: { teapot: true, backend:').replace(
        'name: Tiny',
        'name: Tiny\nfuture: 1',
      ),
      'case.yaml',
    );
    expect(caseFile.unknownKeys).toEqual(['future']);
    expect(caseFile.requests[0]?.unknownKeys).toEqual(['requests[0].expect.teapot']);
  });
});

describe('case folders', () => {
  const dir = mkdtempSync(join(tmpdir(), 'test-kit-load-'));
  mkdirSync(join(dir, 'nested'));
  writeFileSync(join(dir, 'b.yaml'), VALID);
  writeFileSync(join(dir, 'nested', 'a.yml'), VALID.replace('name: Tiny', 'name: Nested'));
  writeFileSync(join(dir, 'broken.yaml'), VALID.replace('port: 8080', 'port: 0'));
  writeFileSync(join(dir, 'notes.md'), '# not a case');

  it('lists yaml files recursively, sorted by relative path', () => {
    expect(listCaseFiles(dir).map((file) => file.slice(dir.length + 1))).toEqual([
      'b.yaml',
      'broken.yaml',
      'nested/a.yml',
    ]);
  });

  it('reads every file, turning a malformed one into an error result', () => {
    const results = readCaseFiles(dir);
    expect(results.map((result) => result.ok)).toEqual([true, false, true]);
    const broken = results[1];
    expect(broken?.ok === false && broken.error.field).toBe('requests[0].expect.backend.port');
    const nested = results[2];
    expect(nested?.ok && nested.caseFile.relativePath).toBe(join('nested', 'a.yml'));
  });

  it('loadCaseFiles throws one error naming every malformed file', () => {
    expect(() => loadCaseFiles(dir)).toThrow(
      /malformed case files:\n.*broken\.yaml: requests\[0\]\.expect\.backend\.port/,
    );
  });

  it('a missing folder is an error of its own', () => {
    expect(() => readCaseFiles(join(dir, 'nope'))).toThrow(/does not exist/);
  });

  it('SWITCHYARD_CASES_DIR names an external folder', () => {
    expect(externalCasesDir({ SWITCHYARD_CASES_DIR: dir })).toBe(dir);
    expect(externalCasesDir({})).toBeUndefined();
  });
});

describe('bundled corpus', () => {
  it('every Gateway API case file is valid and uses no unknown key', () => {
    const cases = loadCaseFiles(casesDir.gatewayApi);
    expect(cases.length).toBeGreaterThanOrEqual(62);
    const unknown = cases.flatMap((c) => [
      ...c.unknownKeys,
      ...c.requests.flatMap((r) => r.unknownKeys),
      ...c.statuses.flatMap((s) => s.unknownKeys),
    ]);
    expect(unknown).toEqual([]);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });
});
