/**
 * Compile time: `compile(objects)` on the shared corpus, timed with `performance.now()` after
 * warm-up runs, with a collection before each run so that one run's garbage is not charged to
 * the next. Next to the wall-clock time, the process CPU time of the same runs
 * (`process.cpuUsage`, all threads, so the collector's helpers count): on a machine shared with
 * other work, wall-clock time includes waiting for a core, CPU time does not.
 * Building the peers' routers from the equivalent routes is timed the same way, for scale.
 */
import { compile } from '@switchyard/core';
import { buildFindMyWay, buildRou3, generateCorpus, peerRoutes } from '../corpus/index.js';
import { collectGarbage, formatSize, markdownTable, median, quantile } from '../stats.js';

/** Milliseconds throughout. */
export interface CompileResult {
  readonly routes: number;
  readonly runs: number;
  readonly median: number;
  readonly p90: number;
  /** The fastest run: the least disturbed by other processes. */
  readonly min: number;
  /** Median CPU time of the process during a run. */
  readonly cpu: number;
  readonly findMyWay: number;
  readonly rou3: number;
}

interface Timing {
  readonly wall: number[];
  readonly cpu: number[];
}

/** Fewer runs at the big sizes: a 100k compile takes seconds. */
function runsFor(routes: number): { warmup: number; runs: number } {
  if (routes <= 1_000) return { warmup: 5, runs: 30 };
  if (routes <= 10_000) return { warmup: 3, runs: 15 };
  return { warmup: 1, runs: 5 };
}

export async function runCompile(sizes: readonly number[]): Promise<CompileResult[]> {
  console.log('\n== compile');
  const results: CompileResult[] = [];
  for (const size of sizes) {
    const corpus = generateCorpus(size);
    const { warmup, runs } = runsFor(size);
    const flattened = compile(corpus.objects).table.listeners[0]?.routes.length ?? 0;
    if (flattened !== size) throw new Error(`expected ${size} flattened routes, got ${flattened}`);
    const timing = timeRuns(() => compile(corpus.objects), warmup, runs);
    const peers = peerRoutes(corpus);
    const peerRuns = Math.max(3, Math.ceil(runs / 3));
    const findMyWay = median(timeRuns(() => buildFindMyWay(peers), 1, peerRuns).wall);
    const rou3 = median(timeRuns(() => buildRou3(peers), 1, peerRuns).wall);
    const result: CompileResult = {
      routes: size,
      runs,
      median: median(timing.wall),
      p90: quantile(timing.wall, 0.9),
      min: Math.min(...timing.wall),
      cpu: median(timing.cpu),
      findMyWay,
      rou3,
    };
    console.log(
      `compile ${formatSize(size)}: median ${ms(result.median)}, p90 ${ms(result.p90)}, ` +
        `min ${ms(result.min)}, CPU median ${ms(result.cpu)} (${runs} runs); ` +
        `find-my-way build ${ms(findMyWay)}, rou3 build ${ms(rou3)}`,
    );
    results.push(result);
  }
  printSummary(results);
  return results;
}

/** Wall-clock and CPU milliseconds of `runs` calls of `work`, after `warmup` untimed calls. */
function timeRuns(work: () => unknown, warmup: number, runs: number): Timing {
  for (let i = 0; i < warmup; i++) work();
  const wall: number[] = [];
  const cpu: number[] = [];
  let sink: unknown;
  for (let i = 0; i < runs; i++) {
    collectGarbage();
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    sink = work();
    wall.push(performance.now() - start);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
  }
  if (sink === undefined) throw new Error('unreachable: keeps the result alive');
  return { wall, cpu };
}

function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}

function printSummary(results: readonly CompileResult[]): void {
  console.log('\n### Compile time (ms)\n');
  console.log(
    markdownTable(
      [
        'Flattened routes',
        'Runs',
        '`compile` median',
        'p90',
        'min',
        'CPU median',
        'µs per route (median)',
        'find-my-way build',
        'rou3 build',
      ],
      results.map((r) => [
        formatSize(r.routes),
        String(r.runs),
        r.median.toFixed(1),
        r.p90.toFixed(1),
        r.min.toFixed(1),
        r.cpu.toFixed(1),
        ((r.median * 1000) / r.routes).toFixed(1),
        r.findMyWay.toFixed(1),
        r.rou3.toFixed(1),
      ]),
    ),
  );
  const r10k = results.find((r) => r.routes === 10_000);
  if (r10k !== undefined) {
    console.log(
      `\nTarget, compile 10k routes under 300 ms: median ${ms(r10k.median)} → ` +
        `${r10k.median < 300 ? 'met' : 'MISSED'} (CPU median ${ms(r10k.cpu)})`,
    );
  }
}
