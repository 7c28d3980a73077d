/**
 * The p99 latency of a steady request stream while a configuration of N flattened routes reloads
 * (delegation.md rule 28: a large reload must not stall requests; target: under 50 ms added).
 *
 * A node:http server in this process answers every request with `resolve(source.current(), ...)`;
 * a client in a worker thread (its own event loop, real sockets) sends one request every
 * INTERVAL_MS on a fixed schedule and measures each from its scheduled start, so a stalled server
 * shows as latency rather than as fewer requests. First a quiet phase (no reload), then the
 * routes file is rewritten (every backend changed) and reloaded; the reload phase lasts until the
 * new table is served, plus 500 ms.
 *
 * `node --conditions=source --import tsx reload/run.ts 50000 worker` (from `benchmarks/`);
 * `inline` instead of `worker` measures the in-thread file source for comparison, and
 * `compile-worker` the path of the Kubernetes source under `serve --kubernetes`: objects already
 * in memory, compiled by `createCompileWorker` (input sent from the serving thread in parts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { resolve, type RouteSource, type RouteTable } from '@switchyard/core';
import { createCompileWorker, createFileSource, createWorkerFileSource } from '@switchyard/files';
import { stringify } from 'yaml';
import { GATEWAY, generateCorpus, HOST } from '../corpus/index.js';
import { quantile } from '../stats.js';

const size = Number(process.argv[2] ?? 50_000);
const modes = ['worker', 'inline', 'compile-worker'] as const;
const mode = modes.find((m) => m === process.argv[3]) ?? 'worker';
const INTERVAL_MS = 2;
const QUIET_MS = 3_000;

const corpus = generateCorpus(size);
const dir = mkdtempSync(join(tmpdir(), 'switchyard-reload-bench-'));
const file = join(dir, 'routes.yaml');
// Every version labels every Service differently: the whole configuration changes and recompiles.
// Both texts are made up front: stringifying 50k objects takes seconds on this thread.
const text = (version: string): string =>
  corpus.objects
    .map((o) => stringify(o.kind === 'Service' ? withLabel(o, version) : o))
    .join('---\n');
const second = text('v2');
writeFileSync(file, text('v1'));

const started = Date.now();
const source: RouteSource & { reload(): unknown; close(): unknown } =
  mode === 'worker'
    ? await createWorkerFileSource({ paths: [dir], watch: false })
    : mode === 'inline'
      ? createFileSource({ paths: [dir], watch: false })
      : await compiledSource();
console.log(`${size} routes, ${mode}: first load ${Date.now() - started} ms`);

const server = createServer((req, res) => {
  const decision = resolve(source.current(), {
    method: 'GET',
    host: HOST,
    port: 80,
    path: req.url ?? '/',
  });
  res.end(decision.kind === 'forward' ? String(decision.backends[0]!.port) : decision.kind);
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/team-0/svc-0/x`;

const client = new Worker(new URL('./client.mjs', import.meta.url), {
  workerData: { url, interval: INTERVAL_MS },
});
const origin = performance.timeOrigin;
const loop = monitorEventLoopDelay({ resolution: 1 });
loop.enable();
await new Promise((r) => setTimeout(r, QUIET_MS));
const quietLoop = { p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 };
loop.reset();
const reloadStart = performance.now();
writeFileSync(file, second);
await source.reload();
const swapped = performance.now();
await new Promise((r) => setTimeout(r, 500));
const reloadLoop = { p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 };
loop.disable();
client.postMessage({ type: 'stop' });
const { samples, origin: clientOrigin } = await new Promise<{
  samples: [number, number, string][];
  origin: number;
}>((r) => client.once('message', r));
await client.terminate();
server.close();
await source.close();
rmSync(dir, { recursive: true, force: true });

// Client times count from the client's own origin: put them on this thread's clock.
const shift = clientOrigin - origin;
const quiet = samples.filter((s) => s[0] + shift < reloadStart && s[1] >= 0);
const during = samples.filter((s) => s[0] + shift >= reloadStart && s[1] >= 0);
const failed = samples.filter((s) => s[1] < 0);
const errors = `${failed.length} ${[...new Set(failed.map((s) => s[2]))].join(' ')}`;
const answers = [...new Set(during.map((s) => s[2]))].join(', ');
const line = (label: string, list: [number, number, string][]): string => {
  const ms = list.map((s) => s[1]);
  const max = Math.max(0, ...ms);
  return `${label.padEnd(22)} n=${String(ms.length).padStart(5)}  p50 ${quantile(ms, 0.5).toFixed(1).padStart(7)} ms  p99 ${quantile(ms, 0.99).toFixed(1).padStart(7)} ms  max ${max.toFixed(1).padStart(7)} ms`;
};
console.log(
  `reload took ${(swapped - reloadStart).toFixed(0)} ms; answers during it: ${answers}; errors ${errors}`,
);
const slow = during.filter((s) => s[1] >= 500).map((s) => s[0] + shift - reloadStart);
if (slow.length > 0)
  console.log(
    `${slow.length} requests over 500 ms, scheduled from +${Math.min(...slow).toFixed(0)} to +${Math.max(...slow).toFixed(0)} ms after the reload started; the swap was at +${(swapped - reloadStart).toFixed(0)} ms`,
  );
console.log(line('quiet', quiet));
console.log(line('during reload (+500ms)', during));

/** The objects compiled by `createCompileWorker`; a reload compiles the relabelled objects. */
async function compiledSource() {
  const compiler = createCompileWorker();
  const options = { gateway: GATEWAY };
  const relabelled = corpus.objects.map((o) => (o.kind === 'Service' ? withLabel(o, 'v2') : o));
  let table: RouteTable = (await compiler.compile(corpus.objects, options)).table;
  return {
    current: () => table,
    subscribe: () => () => undefined,
    reload: async () => {
      table = (await compiler.compile(relabelled, options)).table;
    },
    close: () => compiler.close(),
  };
}

function withLabel<T>(object: T, version: string): T {
  const copy = structuredClone(object) as { metadata: { labels?: Record<string, string> } };
  copy.metadata.labels = { ...copy.metadata.labels, version };
  return copy as T;
}
console.log(
  `serving thread event-loop delay: quiet p99 ${quietLoop.p99.toFixed(1)} ms max ${quietLoop.max.toFixed(1)} ms; during reload p99 ${reloadLoop.p99.toFixed(1)} ms max ${reloadLoop.max.toFixed(1)} ms`,
);
