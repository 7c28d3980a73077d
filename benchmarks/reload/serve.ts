/**
 * The reload benchmark through the product itself: `switchyard serve` (the built CLI, its own
 * process) serves a folder of N flattened routes while a client thread (`client.mjs`, which also
 * runs the echo server standing in for every Service) sends one request every INTERVAL_MS on a
 * fixed schedule and measures each from its scheduled start. After a quiet phase the routes file
 * is rewritten (every Service relabelled, so everything recompiles); the reload phase lasts until
 * `serve` prints its reload line, plus 500 ms. Everything `serve` does on a reload counts: the
 * worker, receiving and assembling the table, the summary it prints.
 *
 * `node --conditions=source --import tsx reload/serve.ts 50000` (from `benchmarks/`, after
 * `npx --yes pnpm@10 -r run build`). SERVE_NODE_ARGS passes node flags to the serve process
 * (`--cpu-prof`, `--trace-gc`) to look inside.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { stringify } from 'yaml';
import { generateCorpus, HOST } from '../corpus/index.js';
import { quantile } from '../stats.js';

const size = Number(process.argv[2] ?? 50_000);
const INTERVAL_MS = 2;
const QUIET_MS = 3_000;
const bin = fileURLToPath(new URL('../../packages/cli/dist/bin.js', import.meta.url));

const corpus = generateCorpus(size);
const dir = mkdtempSync(join(tmpdir(), 'switchyard-reload-serve-'));
const file = join(dir, 'routes.yaml');
const text = (version: string): string =>
  corpus.objects
    .map((o) => {
      if (o.kind !== 'Service') return stringify(o);
      const copy = structuredClone(o) as { metadata: { labels?: Record<string, string> } };
      copy.metadata.labels = { ...copy.metadata.labels, version };
      return stringify(copy);
    })
    .join('---\n');
const second = text('v2');
writeFileSync(file, text('v1'));

const client = new Worker(new URL('./client.mjs', import.meta.url), {
  workerData: { host: HOST, interval: INTERVAL_MS, echo: true },
});
const { echoPort } = await new Promise<{ echoPort: number }>((r) => client.once('message', r));
writeFileSync(
  join(dir, 'backends.local.yaml'),
  stringify({
    backends: Object.fromEntries(
      corpus.objects
        .filter((o) => o.kind === 'Service')
        .map((o) => [
          `${o.metadata?.namespace}/${o.metadata?.name}:8080`,
          `http://127.0.0.1:${echoPort}`,
        ]),
    ),
  }),
);

const started = Date.now();
const nodeArgs = (process.env.SERVE_NODE_ARGS ?? '').split(' ').filter(Boolean);
// SERVE_CPU: run serve on these CPUs only (`taskset -c`), the client on the others.
const command = [
  process.execPath,
  ...nodeArgs,
  bin,
  'serve',
  dir,
  '-p',
  '0',
  '--log-level',
  'silent',
];
const cpus = process.env.SERVE_CPU;
const serve = spawn(
  cpus ? 'taskset' : command[0]!,
  cpus ? ['-c', cpus, ...command] : command.slice(1),
  {
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
let output = '';
const waiters: { pattern: RegExp; resolve: (match: RegExpMatchArray) => void }[] = [];
// SERVE_STDOUT=file: serve's output with the time of arrival (ms after the reload started).
const tee = process.env.SERVE_STDOUT;
let reloadStart = Number.NaN;
serve.stdout.setEncoding('utf8').on('data', (chunk: string) => {
  output += chunk;
  if (tee !== undefined)
    appendFileSync(tee, `@${(performance.now() - reloadStart).toFixed(0)} ${chunk}`);
  for (const waiter of [...waiters]) {
    const match = output.match(waiter.pattern);
    if (match === null) continue;
    waiters.splice(waiters.indexOf(waiter), 1);
    waiter.resolve(match);
  }
});
const waitFor = (pattern: RegExp) =>
  new Promise<RegExpMatchArray>((resolve) => waiters.push({ pattern, resolve }));

const [, port] = await waitFor(/http:\/\/127\.0\.0\.1:(\d+)/);
await waitFor(/Ctrl-C to stop/);
// serve compiles once more with the ports it bound: let that settle before the quiet phase.
await new Promise((r) => setTimeout(r, Number(process.env.SETTLE_MS ?? 5_000)));
console.log(`${size} routes through serve: ready in ${Date.now() - started} ms, port ${port}`);

const origin = performance.timeOrigin;
client.postMessage({ type: 'start', url: `http://127.0.0.1:${port}/team-0/svc-0/x` });
await new Promise((r) => setTimeout(r, QUIET_MS));
output = '';
reloadStart = performance.now();
writeFileSync(file, second);
await waitFor(/reload: /);
const reloaded = performance.now();
await new Promise((r) => setTimeout(r, 500));
client.postMessage({ type: 'stop' });
const { samples, origin: clientOrigin } = await new Promise<{
  samples: [number, number, string][];
  origin: number;
}>((r) => client.once('message', r));
await client.terminate();
serve.kill('SIGTERM');
rmSync(dir, { recursive: true, force: true });

// Client times count from the client's own origin: put them on this thread's clock.
const shift = clientOrigin - origin;
const ok = samples.filter((s) => s[1] >= 0);
// The first second warms the path up (connections, pools, compiled code): not counted.
const warm = Math.min(...samples.map((s) => s[0])) + 1_000;
const quiet = ok.filter((s) => s[0] >= warm && s[0] + shift < reloadStart).map((s) => s[1]);
const during = ok.filter((s) => s[0] + shift >= reloadStart).map((s) => s[1]);
const failed = samples.filter((s) => s[1] < 0);
const answers = [...new Set(ok.map((s) => s[2]))].join(', ');
const line = (label: string, ms: number[]) =>
  `${label.padEnd(22)} n=${String(ms.length).padStart(5)}  p50 ${quantile(ms, 0.5).toFixed(1).padStart(7)} ms  p99 ${quantile(ms, 0.99).toFixed(1).padStart(7)} ms  max ${Math.max(
    0,
    ...ms,
  )
    .toFixed(1)
    .padStart(7)} ms`;
console.log(
  `reload took ${(reloaded - reloadStart).toFixed(0)} ms (file written to serve's reload line); answers ${answers}; errors ${failed.length} ${[...new Set(failed.map((s) => s[2]))].join(' ')}`,
);
const slow =
  during.length === 0 ? [] : ok.filter((s) => s[0] + shift >= reloadStart && s[1] >= 100);
if (slow.length > 0)
  console.log(
    `${slow.length} requests over 100 ms, scheduled from +${(Math.min(...slow.map((s) => s[0])) + shift - reloadStart).toFixed(0)} to +${(Math.max(...slow.map((s) => s[0])) + shift - reloadStart).toFixed(0)} ms after the file was written; serve's reload line at +${(reloaded - reloadStart).toFixed(0)} ms`,
  );
console.log(line('quiet (after 1 s)', quiet));
if (process.env.SLOW)
  console.log(
    ok
      .filter((s) => s[1] > 20)
      .map((s) => `${(s[0] + shift - reloadStart).toFixed(0)}:${s[1].toFixed(0)}`)
      .join(' '),
  );
console.log(line('during reload (+500ms)', during));
