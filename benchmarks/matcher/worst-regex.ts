/**
 * Rule 26: the worst regex the caps admit, against the longest request the caps admit. For each
 * shape of costly pattern, the largest instance under MAX_REGEX_PROGRAM_SIZE is found, compiled
 * into a table, and one `resolve` of an 8 KiB path (or header value) that it scans to the end and
 * then rejects is timed. The figure is how long one hostile request can hold the event loop.
 *
 * Run: `cd benchmarks && node --conditions=source --import tsx ./matcher/worst-regex.ts`
 */
import {
  compile,
  DEFAULT_MAX_HEADER_VALUE_LENGTH,
  DEFAULT_MAX_PATH_LENGTH,
  MAX_REGEX_PROGRAM_SIZE,
  resolve,
  type ResolveRequest,
} from '@switchyard/core';

interface Shape {
  readonly name: string;
  /** The pattern for parameter n; larger n, larger program. */
  readonly pattern: (n: number) => string;
  readonly where: 'path' | 'header';
}

const SHAPES: readonly Shape[] = [
  {
    name: '8 chained [^/]{0,n} then z',
    pattern: (n) => `/t/${'[^/]{0,N}'.replace('N', String(n)).repeat(8)}z`,
    where: 'path',
  },
  { name: 'one [^/]{0,n} then z', pattern: (n) => `/t/[^/]{0,${n}}z`, where: 'path' },
  {
    name: '(.*a) repeated n times then z',
    pattern: (n) => `/t/${'(.*a)'.repeat(n)}z`,
    where: 'path',
  },
  {
    name: 'n alternatives (a|aa|...)* then z',
    pattern: (n) => `/t/(${Array.from({ length: n }, (_, i) => 'a'.repeat(i + 1)).join('|')})*z`,
    where: 'path',
  },
  {
    name: 'header: 8 chained [a-z]{0,n} then 0',
    pattern: (n) => `${'[a-z]{0,N}'.replace('N', String(n)).repeat(8)}0`,
    where: 'header',
  },
];

function objects(shape: Shape, pattern: string): unknown[] {
  const match =
    shape.where === 'path'
      ? { path: { type: 'RegularExpression', value: pattern } }
      : {
          path: { type: 'PathPrefix', value: '/t' },
          headers: [{ type: 'RegularExpression', name: 'x-evil', value: pattern }],
        };
  return [
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { namespace: 'infra', name: 'gw' },
      spec: {
        gatewayClassName: 'switchyard',
        listeners: [
          {
            name: 'http',
            port: 80,
            protocol: 'HTTP',
            allowedRoutes: { namespaces: { from: 'All' } },
          },
        ],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { namespace: 't', name: 's' },
      spec: { ports: [{ port: 80 }] },
    },
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { namespace: 't', name: 'r' },
      spec: {
        parentRefs: [{ name: 'gw', namespace: 'infra' }],
        rules: [{ matches: [match], backendRefs: [{ name: 's', port: 80 }] }],
      },
    },
  ];
}

/** A distinct but equal-cost pattern per run, so each run meets a cold regex (no DFA state cached). */
function variant(pattern: string, run: number): string {
  return `${pattern}|/q${String(run).padStart(4, '0')}`;
}

/** The largest n whose pattern is still admitted (a table route exists). */
function largestAdmitted(shape: Shape): { n: number; pattern: string } | undefined {
  let best: { n: number; pattern: string } | undefined;
  let lo = 1;
  let hi = 1000;
  while (lo <= hi) {
    const n = Math.floor((lo + hi) / 2);
    const pattern = variant(shape.pattern(n), 0);
    const admitted = (compile(objects(shape, pattern)).table.listeners[0]?.routes.length ?? 0) > 0;
    if (admitted) {
      best = { n, pattern: shape.pattern(n) };
      lo = n + 1;
    } else hi = n - 1;
  }
  return best;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const RUNS = 15;
console.log(
  `worst admitted regex vs longest admitted input; Node ${process.version}; cap ${MAX_REGEX_PROGRAM_SIZE}, path ${DEFAULT_MAX_PATH_LENGTH}, header ${DEFAULT_MAX_HEADER_VALUE_LENGTH}`,
);
console.log('| Shape | n | cold resolve p50 / max (ms) | warm resolve p50 (ms) | decision |');
console.log('| --- | --- | --- | --- | --- |');
for (const shape of SHAPES) {
  const found = largestAdmitted(shape);
  if (!found) {
    console.log(`| ${shape.name} | none admitted | | | |`);
    continue;
  }
  const request: ResolveRequest =
    shape.where === 'path'
      ? { method: 'GET', host: 'x', path: `/t/${'a'.repeat(DEFAULT_MAX_PATH_LENGTH - 3)}` }
      : {
          method: 'GET',
          host: 'x',
          path: '/t',
          headers: { 'x-evil': 'a'.repeat(DEFAULT_MAX_HEADER_VALUE_LENGTH) },
        };
  const cold: number[] = [];
  const warm: number[] = [];
  let status = '';
  for (let i = 0; i <= RUNS; i++) {
    const { table } = compile(objects(shape, variant(found.pattern, i + 1)));
    for (const times of [cold, warm]) {
      const start = process.hrtime.bigint();
      const decision = resolve(table, request);
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
      status = decision.kind === 'respond' ? String(decision.status) : decision.kind;
    }
  }
  // The first run warms the JIT for this shape; it is not counted.
  cold.shift();
  warm.shift();
  const ms = (v: number, digits: number) => v.toFixed(digits);
  console.log(
    `| ${shape.name} | ${found.n} | ${ms(median(cold), 1)} / ${ms(Math.max(...cold), 1)} | ${ms(median(warm), 2)} | ${status} |`,
  );
}
