/**
 * `switchyard explain`: every sample request of the example lands where `requests.yaml` says,
 * through the built CLI; the text output says where and why; and for every request of every
 * routing case file the CLI's decision and trace are exactly the core's for the same request.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  compile,
  explain,
  type Decision,
  type ResolveRequest,
  type RouteTable,
} from '@switchyard/core';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { casesRoot, ensureBuilt, exampleDir, runBuilt } from './helpers/built-cli.js';
import { listYaml } from './helpers/files.js';
import { runInProcess } from './helpers/in-process.js';

beforeAll(() => ensureBuilt(), 240_000);

interface SampleRequest {
  name?: string;
  request: {
    method?: string;
    scheme?: string;
    host?: string;
    port?: number;
    path: string;
    headers?: Record<string, string | string[]>;
    gateway?: { namespace: string; name: string };
    sni?: string;
  };
  expect: {
    backend?: { group?: string; kind?: string; namespace: string; name: string; port?: number };
    status?: number | number[];
    upstream?: { path?: string };
  };
}

/** The command-line arguments that send `request` (as a user would type them). */
function requestArgs(request: SampleRequest['request']): string[] {
  const scheme = request.scheme ?? 'http';
  const url =
    request.host === undefined
      ? request.path
      : `${scheme}://${request.host}${request.port === undefined || request.host.includes(':') ? '' : `:${request.port}`}${request.path}`;
  const headers = Object.entries(request.headers ?? {}).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : [value]).flatMap((v) => ['-H', `${name}: ${v}`]),
  );
  return [request.method ?? 'GET', url, ...headers];
}

describe('the example, through the built CLI', () => {
  const samples = parse(readFileSync(join(exampleDir, 'requests.yaml'), 'utf8')) as SampleRequest[];

  it('has sample requests to check', () => {
    expect(samples.length).toBeGreaterThanOrEqual(10);
  });

  it.concurrent.for(samples.map((s) => [s.name ?? s.request.path, s] as const))(
    '%s',
    async ([, sample], { expect }) => {
      const result = await runBuilt([
        'explain',
        'examples/delegation',
        ...requestArgs(sample.request),
        '--json',
      ]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const { decision, trace, request } = JSON.parse(result.stdout) as {
        decision: Decision;
        trace: { step: string }[];
        request: ResolveRequest;
      };
      expect(request.method).toBe(sample.request.method ?? 'GET');
      expect(trace[0]).toMatchObject({ step: 'path' });
      if (sample.expect.backend !== undefined) {
        expect(decision.kind).toBe('forward');
        if (decision.kind !== 'forward') return;
        expect(decision.backends).toHaveLength(1);
        const { group = '', kind = 'Service', ...ref } = sample.expect.backend;
        expect(decision.backends[0]).toMatchObject({ group, kind, ...ref });
        const path = sample.expect.upstream?.path ?? sample.request.path;
        expect(decision.upstream.path).toBe(path);
        expect(trace.at(-1)).toMatchObject({ step: 'winner', chain: decision.chain });
      } else {
        expect(decision).toMatchObject({ kind: 'respond', status: sample.expect.status });
      }
    },
  );

  it('says where a request lands, why, and where the rules are written', async () => {
    const result = await runBuilt([
      'explain',
      'examples/delegation',
      'GET',
      'http://api.example.com:8080/insurance/claims/7',
      '-H',
      'X-API-Version: 2',
    ]);
    expect(result.code).toBe(0);
    const text = result.stdout;
    expect(text.split('\n').slice(0, 4)).toEqual([
      'GET api.example.com:8080/insurance/claims/7',
      'gateway kgateway-system/http',
      '',
      'forward to Service insurance/claims-v2:8080 (weight 1)',
    ]);
    expect(text).toContain('  chain kgateway-system/api#1 > insurance/claims#0');
    expect(text).toContain('why:\n  path /insurance/claims/7\n  listener http:8080');
    expect(text).toContain('  winner #1 kgateway-system/api#1 > insurance/claims#0');
    expect(text).toMatch(
      /rules:\n {2}kgateway-system\/api#1 {2}examples\/delegation\/platform\/parent-route\.yaml:\d+:\d+\n {2}insurance\/claims#0 {2}examples\/delegation\/insurance\/routes\.yaml:\d+:\d+\n/,
    );
  });

  it('a 404 inside a delegated prefix names the delegation, the children tried and why, the nearest paths and where they are written', async () => {
    const result = await runBuilt([
      'explain',
      'examples/delegation',
      'GET',
      'http://api.example.com:8080/banking/loans',
    ]);
    expect(result.code).toBe(0);
    const text = result.stdout;
    expect(text).toContain('respond 404 (no route)');
    expect(text).toContain(
      '  delegation kgateway-system/api#0 (PathPrefix /banking) selects label banking-bff in banking\n' +
        '    tried banking/accounts#0 (PathPrefix /banking/accounts): path\n' +
        '    tried banking/cards#0 (PathPrefix /banking/cards): path\n' +
        '    nearest paths: /banking/cards, /banking/accounts',
    );
    expect(text).toMatch(
      /delegated by:\n {2}kgateway-system\/api#0 {2}examples\/delegation\/platform\/parent-route\.yaml:\d+:\d+\nchildren tried:\n {2}banking\/accounts#0 {2}examples\/delegation\/banking\/routes\.yaml:\d+:\d+\n {2}banking\/cards#0 /,
    );
    const json = await runBuilt([
      'explain',
      'examples/delegation',
      'GET',
      'http://api.example.com:8080/banking/loans',
      '--json',
    ]);
    const trace = (JSON.parse(json.stdout) as { trace: { step: string; nearest?: string[] }[] })
      .trace;
    expect(trace.find((step) => step.step === 'delegation')?.nearest).toEqual([
      '/banking/cards',
      '/banking/accounts',
    ]);
  });

  it('without the header, the trace shows why the v2 rule did not match', async () => {
    const result = await runBuilt([
      'explain',
      'examples/delegation',
      'GET',
      'http://api.example.com:8080/insurance/claims/7',
    ]);
    expect(result.stdout).toContain('forward to Service insurance/claims:8080');
    expect(result.stdout).toMatch(
      /candidate #1 \[api\.example\.com\] kgateway-system\/api#1 > insurance\/claims#0: header x-api-version/,
    );
  });

  it('takes a bare path with a Host header, and shows the path as the gateway normalises it', async () => {
    const result = await runBuilt([
      'explain',
      'examples/delegation',
      'get',
      '/banking/accounts/../cards?x=1',
      '-H',
      'Host: api.example.com',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('GET api.example.com/banking/accounts/../cards?x=1');
    expect(result.stdout).toContain('forward to Service banking/cards:8080');
    expect(result.stdout).toContain('why:\n  path /banking/cards?x=1');
  });

  it('a request nothing serves is an answer (404, exit 0), not an error', async () => {
    const result = await runBuilt([
      'explain',
      'examples/delegation',
      'GET',
      'http://www.example.com:8080/banking',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('respond 404 (no route)');
  });
});

describe('every routing case file, in-process', () => {
  const files = listYaml(casesRoot);

  it('finds the case files', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it("explain's decision and trace equal the core's for every request of every case", async () => {
    let compared = 0;
    for (const file of files) {
      const caseFile = parse(readFileSync(file, 'utf8')) as {
        objects: unknown[];
        gateway?: { namespace: string; name: string };
        options?: { routeWeight?: boolean; maxDelegationDepth?: number };
        requests?: SampleRequest[];
      };
      const tables = new Map<string, RouteTable>();
      for (const { request } of caseFile.requests ?? []) {
        const gateway = request.gateway ?? caseFile.gateway;
        const args = requestArgs(request);
        const sni = request.sni === undefined ? [] : ['--sni', request.sni];
        const gatewayArgs =
          gateway === undefined ? [] : ['--gateway', `${gateway.namespace}/${gateway.name}`];
        const result = await runInProcess([
          'explain',
          file,
          ...args,
          ...sni,
          ...gatewayArgs,
          '--json',
        ]);
        const where = `${file}: ${args.join(' ')}`;
        expect(result.stderr, where).toBe('');
        expect(result.code, where).toBe(0);
        const fromCli = JSON.parse(result.stdout) as {
          request: ResolveRequest;
          decision: unknown;
          trace: unknown;
        };
        const tableKey = gateway === undefined ? '' : `${gateway.namespace}/${gateway.name}`;
        let table = tables.get(tableKey);
        if (table === undefined) {
          table = compile(caseFile.objects, {
            ...caseFile.options,
            ...(gateway === undefined ? {} : { gateway }),
          }).table;
          tables.set(tableKey, table);
        }
        const expected = JSON.parse(JSON.stringify(explain(table, fromCli.request))) as unknown;
        expect(fromCli.decision, where).toEqual((expected as { decision: unknown }).decision);
        expect(fromCli.trace, where).toEqual((expected as { trace: unknown }).trace);
        // The request the CLI built is the one the case describes.
        expect(fromCli.request.path, where).toBe(request.path);
        expect(fromCli.request.method, where).toBe(request.method ?? 'GET');
        if (request.port !== undefined && request.host !== undefined && !request.host.includes(':'))
          expect(fromCli.request.port, where).toBe(request.port);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(200);
  });
});
