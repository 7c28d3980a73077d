/**
 * The proxy benchmark: one echo backend, one route table, and side by side in one run the backend
 * alone (the limit), a minimal undici `Pool.stream` proxy (the ceiling for a Node proxy),
 * `@switchyard/node` (bare, and with metrics and access logs), the `@switchyard/express`
 * middleware and the `@switchyard/fastify` plugin, `@fastify/http-proxy`, and
 * http-proxy-middleware 3 on Express 5. Each candidate runs in its own process; with `taskset`
 * the candidate gets CPU 1 to itself while the backend and the load generator share CPU 0.
 *
 *   cd benchmarks && node --conditions=source --import tsx proxy/run.ts [--duration=10]
 *     [--connections=64] [--warmup=3] [--rounds=1] [--tool=wrk|autocannon] [--pin] [--only=undici,switchyard] [--write]
 *
 * `--write` records the table in `benchmarks/RESULTS.md` (the "Proxy" section only).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { load, wrkAvailable } from './load.js';
import type { LoadResult, Tool } from './load.js';
import { REQUEST_PATH } from './routes.js';

interface Candidate {
  readonly id: string;
  readonly label: string;
  /** Server file under `servers/`; undefined: the backend itself. */
  readonly server?: string;
}

const CANDIDATES: readonly Candidate[] = [
  { id: 'direct', label: 'backend directly (the limit)' },
  {
    id: 'undici',
    label: 'minimal undici `Pool.stream` proxy (the ceiling)',
    server: 'undici-minimal.ts',
  },
  {
    id: 'switchyard',
    label: '`@switchyard/node` `createRequestListener`',
    server: 'switchyard.ts',
  },
  {
    id: 'switchyard-observed',
    label: '`@switchyard/node` with metrics + access log',
    server: 'switchyard-observed.ts',
  },
  {
    id: 'switchyard-express',
    label: '`@switchyard/express` middleware (Express 5)',
    server: 'switchyard-express.ts',
  },
  {
    id: 'switchyard-fastify',
    label: '`@switchyard/fastify` plugin (Fastify 5)',
    server: 'switchyard-fastify.ts',
  },
  { id: 'fastify', label: '`@fastify/http-proxy` 11 (Fastify 5)', server: 'fastify-http-proxy.ts' },
  { id: 'hpm', label: 'http-proxy-middleware 3 (Express 5)', server: 'http-proxy-middleware.ts' },
];

export interface ProxyBenchOptions {
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  readonly connections: number;
  readonly rounds: number;
  readonly tool?: Tool;
  readonly pin: boolean;
  readonly write: boolean;
  /** Candidate ids to run (default all; `--write` needs all). */
  readonly only?: readonly string[];
}

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));

function start(
  file: string,
  env: Record<string, string>,
  cpu: string | undefined,
): Promise<{ child: ChildProcess; port: number }> {
  const node = [process.execPath, '--conditions=source', '--import', 'tsx', file];
  const [command, ...args] = cpu === undefined ? node : ['taskset', '-c', cpu, ...node];
  const child = spawn(command!, args, {
    cwd: here('..'),
    env: { ...process.env, ...env },
    // stdout to /dev/null: access logs are written there.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (message) =>
      resolve({ child, port: (message as { port: number }).port }),
    );
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** User + system CPU time of a process so far, in microseconds (Linux `/proc`), or undefined. */
function cpuMicros(pid: number | undefined): number | undefined {
  if (pid === undefined || !existsSync(`/proc/${pid}/stat`)) return undefined;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command (which may contain spaces): state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1_000_000) / 100; // USER_HZ is 100 on Linux
}

interface Measured extends LoadResult {
  /** CPU time the candidate process (the backend, for `direct`) spent per request, µs. */
  readonly cpuPerRequestUs: number | undefined;
}

/** Every candidate must really reach the backend: a fast 404 is not a result. */
async function expectEcho(id: string, url: string): Promise<void> {
  const response = await fetch(url);
  const body = await response.text();
  if (response.status !== 200 || !body.includes('switchyard-echo')) {
    throw new Error(
      `${id} does not reach the echo backend: ${response.status} ${body.slice(0, 100)}`,
    );
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function format(n: number, digits = 0): string {
  return n.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

export async function runProxy(
  partial: Partial<ProxyBenchOptions> = {},
): Promise<Map<string, Measured>> {
  const options: ProxyBenchOptions = {
    durationSeconds: 10,
    warmupSeconds: 3,
    connections: 64,
    rounds: 1,
    pin: false,
    write: false,
    ...partial,
  };
  const tool: Tool = options.tool ?? ((await wrkAvailable()) ? 'wrk' : 'autocannon');
  const loadAtStart = loadavg()[0] ?? 0;
  const pin = options.pin && cpus().length >= 2 && existsSync('/usr/bin/taskset');
  const sharedCpu = pin ? '0' : undefined;
  const proxyCpu = pin ? '1' : undefined;
  console.log(
    `\n== proxy: ${tool}, ${options.connections} connections, ${options.durationSeconds} s per run ` +
      `(+${options.warmupSeconds} s warm-up), ${options.rounds} round(s), GET ${REQUEST_PATH}` +
      (pin ? '; candidate on CPU 1, backend and load generator on CPU 0' : ''),
  );
  const backend = await start(here('./backend.ts'), {}, sharedCpu);
  const backendOrigin = `http://127.0.0.1:${backend.port}`;
  const samples = new Map<string, Measured[]>();
  try {
    for (let round = 0; round < options.rounds; round += 1) {
      // Rotate the order every round: whatever drifts on the machine spreads over everyone.
      const order = CANDIDATES.map((_, i) => CANDIDATES[(i + round) % CANDIDATES.length]!);
      for (const candidate of order) {
        if (options.only !== undefined && !options.only.includes(candidate.id)) continue;
        const server = candidate.server
          ? await start(
              here(`./servers/${candidate.server}`),
              { BENCH_BACKEND: backendOrigin },
              proxyCpu,
            )
          : undefined;
        try {
          const url = `http://127.0.0.1:${server?.port ?? backend.port}${REQUEST_PATH}`;
          await expectEcho(candidate.id, url);
          const common = { url, connections: options.connections, cpus: sharedCpu };
          if (options.warmupSeconds > 0)
            await load(tool, { ...common, durationSeconds: options.warmupSeconds });
          const pid = (server ?? backend).child.pid;
          const cpuBefore = cpuMicros(pid);
          const loaded = await load(tool, { ...common, durationSeconds: options.durationSeconds });
          const cpuAfter = cpuMicros(pid);
          const result: Measured = {
            ...loaded,
            cpuPerRequestUs:
              cpuBefore === undefined || cpuAfter === undefined || loaded.requests === 0
                ? undefined
                : (cpuAfter - cpuBefore) / loaded.requests,
          };
          (samples.get(candidate.id) ?? samples.set(candidate.id, []).get(candidate.id)!).push(
            result,
          );
          console.log(
            `  ${candidate.id.padEnd(20)} ${format(result.requestsPerSecond).padStart(8)} req/s  ` +
              `p50 ${result.p50Ms.toFixed(2)} ms  p99 ${result.p99Ms.toFixed(2)} ms` +
              (result.cpuPerRequestUs === undefined
                ? ''
                : `  ${result.cpuPerRequestUs.toFixed(1)} µs CPU/req`) +
              (result.errors > 0 ? `  ERRORS ${result.errors}` : ''),
          );
        } finally {
          if (server) await stop(server.child);
        }
      }
    }
  } finally {
    await stop(backend.child);
  }
  const results = new Map<string, Measured>();
  for (const [id, runs] of samples) {
    const cpu = runs.map((r) => r.cpuPerRequestUs).filter((v): v is number => v !== undefined);
    results.set(id, {
      cpuPerRequestUs: cpu.length === 0 ? undefined : median(cpu),
      requests: runs.reduce((sum, r) => sum + r.requests, 0),
      requestsPerSecond: median(runs.map((r) => r.requestsPerSecond)),
      p50Ms: median(runs.map((r) => r.p50Ms)),
      p99Ms: median(runs.map((r) => r.p99Ms)),
      errors: runs.reduce((sum, r) => sum + r.errors, 0),
    });
  }
  if (CANDIDATES.some((candidate) => !results.has(candidate.id))) return results;
  const table = markdown(results, { ...options, tool, pin, loadAtStart });
  console.log(`\n${table}`);
  if (options.write) writeResults(table);
  return results;
}

function markdown(
  results: Map<string, Measured>,
  options: ProxyBenchOptions & { tool: Tool; pin: boolean; loadAtStart: number },
): string {
  const undici = results.get('undici')!;
  const switchyard = results.get('switchyard')!;
  const fastify = results.get('fastify')!;
  const rows = CANDIDATES.map((candidate) => {
    const r = results.get(candidate.id)!;
    const share =
      candidate.id === 'direct'
        ? ''
        : `${Math.round((100 * r.requestsPerSecond) / undici.requestsPerSecond)}%`;
    const cpu = r.cpuPerRequestUs === undefined ? 'n/a' : r.cpuPerRequestUs.toFixed(1);
    return `| ${candidate.label} | ${format(r.requestsPerSecond)} | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} | ${share} | ${cpu} | ${r.errors} |`;
  });
  const check = (ok: boolean): string => (ok ? 'met' : '**missed**');
  const rpsShare = switchyard.requestsPerSecond / undici.requestsPerSecond;
  const vsFastify = switchyard.requestsPerSecond / fastify.requestsPerSecond;
  const p99Ratio = switchyard.p99Ms / undici.p99Ms;
  const cpuVsFastify =
    switchyard.cpuPerRequestUs !== undefined && fastify.cpuPerRequestUs !== undefined
      ? fastify.cpuPerRequestUs / switchyard.cpuPerRequestUs
      : undefined;
  const command =
    `node --conditions=source --import tsx proxy/run.ts --duration=${options.durationSeconds} ` +
    `--warmup=${options.warmupSeconds} --connections=${options.connections} --rounds=${options.rounds} ` +
    `--tool=${options.tool}${options.pin ? ' --pin' : ''} --write`;
  return [
    `\`${command}\` (from \`benchmarks/\`)`,
    '',
    `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${new Date().toISOString().slice(0, 10)}; ` +
      `${options.tool}, ${options.connections} connections, ${options.durationSeconds} s after ${options.warmupSeconds} s of warm-up, ` +
      `${options.rounds === 1 ? 'one run' : `median of ${options.rounds} runs, candidates interleaved`}` +
      `${options.pin ? '; each candidate alone on CPU 1, echo backend and load generator on CPU 0' : ''}; ` +
      `load average ${options.loadAtStart.toFixed(1)} at the start.`,
    '',
    '| candidate | req/s | p50 ms | p99 ms | vs. undici | CPU µs/req | errors |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    `Targets for \`@switchyard/node\`: ≥ 85% of the minimal undici proxy's req/s: ${(100 * rpsShare).toFixed(0)}% (${check(rpsShare >= 0.85)}); ` +
      `≥ 1.5× \`@fastify/http-proxy\`: ${vsFastify.toFixed(2)}× (${check(vsFastify >= 1.5)}); ` +
      `p99 within 1.3× of the minimal proxy: ${p99Ratio.toFixed(2)}× (${check(p99Ratio <= 1.3)}).` +
      (cpuVsFastify === undefined
        ? ''
        : ` CPU per request: ${cpuVsFastify.toFixed(2)}× less than \`@fastify/http-proxy\`.`),
  ].join('\n');
}

const START = '<!-- proxy:start -->';
const END = '<!-- proxy:end -->';

/** Replaces (or appends) the Proxy section of RESULTS.md, leaving every other section alone. */
function writeResults(table: string): void {
  const file = here('../RESULTS.md');
  const section = [
    START,
    '## Proxy',
    '',
    'Written by `proxy/run.ts --write`. Every candidate runs in its own process and proxies',
    '`GET /api/orders/12345?expand=items` to the same echo backend (`@switchyard/test-kit`, which',
    'answers with a JSON echo of the request); the Switchyard candidates route through a 24-rule',
    'HTTPRoute table. `@switchyard/node` also does what the minimal proxy does not: hop-by-hop',
    'header hygiene, `X-Forwarded-*`, `x-request-id`, and per-request timeout and retry bookkeeping.',
    'CPU µs/req is the candidate process’s own CPU time per answered request (for the first row:',
    'the backend’s), read from `/proc`; it is less sensitive than req/s to other load on the machine.',
    '',
    table,
    END,
  ].join('\n');
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark results\n';
  const start = current.indexOf(START);
  const end = current.indexOf(END);
  const next =
    start !== -1 && end > start
      ? `${current.slice(0, start)}${section}${current.slice(end + END.length)}`
      : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, next);
  console.log(`recorded in ${file}`);
}

function parseArgs(argv: readonly string[]): Partial<ProxyBenchOptions> {
  const value = (name: string): string | undefined =>
    argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
  const number = (name: string): number | undefined =>
    value(name) === undefined ? undefined : Number(value(name));
  const options: { -readonly [K in keyof ProxyBenchOptions]?: ProxyBenchOptions[K] } = {};
  if (number('duration') !== undefined) options.durationSeconds = number('duration')!;
  if (number('warmup') !== undefined) options.warmupSeconds = number('warmup')!;
  if (number('connections') !== undefined) options.connections = number('connections')!;
  if (number('rounds') !== undefined) options.rounds = number('rounds')!;
  const tool = value('tool');
  if (tool === 'wrk' || tool === 'autocannon') options.tool = tool;
  if (argv.includes('--pin')) options.pin = true;
  if (argv.includes('--write')) options.write = true;
  const only = value('only');
  if (only !== undefined) options.only = only.split(',');
  return options;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runProxy(parseArgs(process.argv.slice(2)));
}
