/**
 * Resolve throughput: switchyard `resolve` next to find-my-way `find` and rou3 `findRoute`, the
 * same requests for all three, one mitata group per corpus size (so only one size's routers are
 * in memory at a time). One iteration routes the whole request mix; lookups per second = mix
 * length / median iteration time.
 *
 * switchyard does more per lookup than the peers: it normalises the path, picks the listener and
 * host bucket, checks the header match and the delegation guard, and builds a full forwarding
 * Decision (backends, upstream path). The peers only return their stored value.
 */
import { bench, do_not_optimize, group, run, summary } from 'mitata';
import { compile, resolve } from '@switchyard/core';
import { findRoute } from 'rou3';
import {
  buildFindMyWay,
  buildRou3,
  checkRouters,
  generateCorpus,
  peerRoutes,
  requestMix,
  type SanityReport,
} from '../corpus/index.js';
import { collectGarbage, formatCount, formatRatio, formatSize, markdownTable } from '../stats.js';

/** Requests routed per benchmark iteration. */
const MIX_SIZE = 512;

export interface MatcherResult {
  readonly routes: number;
  /** Median lookups per second. */
  readonly switchyard: number;
  readonly findMyWay: number;
  readonly rou3: number;
  readonly sanity: SanityReport;
}

const NAMES = {
  switchyard: 'switchyard resolve',
  findMyWay: 'find-my-way find',
  rou3: 'rou3 findRoute',
};

export async function runMatcher(sizes: readonly number[]): Promise<MatcherResult[]> {
  const results: MatcherResult[] = [];
  for (const size of sizes) results.push(await runSize(size));
  printSummary(results);
  return results;
}

async function runSize(size: number): Promise<MatcherResult> {
  const corpus = generateCorpus(size);
  const { table } = compile(corpus.objects);
  const flattened = table.listeners[0]?.routes.length ?? 0;
  if (flattened !== size)
    throw new Error(`expected ${size} flattened routes, the table has ${flattened}`);
  const peers = peerRoutes(corpus);
  const findMyWay = buildFindMyWay(peers);
  const rou3 = buildRou3(peers);
  const requests = requestMix(corpus, MIX_SIZE);

  const sanity = checkRouters({ table, findMyWay, rou3 }, requests);
  console.log(
    `\n== matcher, ${formatSize(size)} flattened routes (${corpus.teams} teams × ` +
      `${corpus.childrenPerTeam} children × 10 rules; peers: ${peers.length} path+method routes)`,
  );
  console.log(
    `sanity: ${sanity.agreeing}/${sanity.total} requests routed to the same route by all three ` +
      `(${sanity.hits} hits, ${sanity.misses} misses)`,
  );
  for (const problem of sanity.problems) console.log(`  MISMATCH ${problem}`);

  const resolveRequests = requests.map((r) => r.resolve);
  const methods = requests.map((r) => r.method);
  const paths = requests.map((r) => r.path);
  const count = requests.length;
  group(`${formatSize(size)} routes`, () => {
    summary(() => {
      bench(NAMES.switchyard, () => {
        for (let i = 0; i < count; i++) do_not_optimize(resolve(table, resolveRequests[i]!));
      });
      bench(NAMES.findMyWay, () => {
        for (let i = 0; i < count; i++) do_not_optimize(findMyWay.find(methods[i]!, paths[i]!));
      });
      bench(NAMES.rou3, () => {
        for (let i = 0; i < count; i++) do_not_optimize(findRoute(rou3, methods[i]!, paths[i]!));
      });
    });
  });
  const { benchmarks } = await runQuietly();
  const perSecond = (name: string): number => {
    const stats = benchmarks.find((b) => b.alias === name)?.runs[0]?.stats;
    return stats === undefined ? Number.NaN : (count / stats.p50) * 1e9;
  };
  return {
    routes: size,
    switchyard: perSecond(NAMES.switchyard),
    findMyWay: perSecond(NAMES.findMyWay),
    rou3: perSecond(NAMES.rou3),
    sanity,
  };
}

/**
 * mitata's `run()` with one full collection before it and none inside it. With `--expose-gc`,
 * `run()` measures its no-op baseline with a `gc()` per sample and collects before each trial;
 * next to the 100k peers (find-my-way alone keeps about 700 MB) each of those is a second-long
 * full collection: a minute of them, and a collector still sweeping during the trials (switchyard
 * measured 20× slower than without them). mitata calls `globalThis.gc` at the time of each
 * collection, so it is swapped for a no-op while mitata runs.
 */
async function runQuietly(): ReturnType<typeof run> {
  const realGc = (globalThis as { gc?: () => void }).gc;
  collectGarbage();
  if (realGc !== undefined) (globalThis as { gc?: () => void }).gc = () => {};
  try {
    return await run({ colors: process.stdout.isTTY === true });
  } finally {
    if (realGc !== undefined) (globalThis as { gc?: () => void }).gc = realGc;
  }
}

function printSummary(results: readonly MatcherResult[]): void {
  console.log('\n### Matcher: lookups per second (median of the mitata samples)\n');
  console.log(
    markdownTable(
      [
        'Flattened routes',
        'switchyard `resolve`',
        'find-my-way `find`',
        'rou3 `findRoute`',
        'switchyard / find-my-way',
        'switchyard / rou3',
        'Sanity',
      ],
      results.map((r) => [
        formatSize(r.routes),
        `${formatCount(r.switchyard)}/s`,
        `${formatCount(r.findMyWay)}/s`,
        `${formatCount(r.rou3)}/s`,
        formatRatio(r.switchyard / r.findMyWay),
        formatRatio(r.switchyard / r.rou3),
        `${r.sanity.agreeing}/${r.sanity.total}`,
      ]),
    ),
  );
  const at = (routes: number) => results.find((r) => r.routes === routes);
  const r10k = at(10_000);
  if (r10k !== undefined) {
    const ratio = r10k.switchyard / r10k.findMyWay;
    console.log(
      `\nTarget, 10k routes: switchyard ≥ find-my-way: ${formatRatio(ratio)} → ${ratio >= 1 ? 'met' : 'MISSED'}`,
    );
  }
  const r1k = at(1_000);
  const r100k = at(100_000);
  if (r1k !== undefined && r100k !== undefined) {
    const slowdown = r1k.switchyard / r100k.switchyard;
    console.log(
      `Target, 100k within 2x of 1k: 1k / 100k throughput = ${formatRatio(slowdown)} → ` +
        `${slowdown <= 2 ? 'met' : 'MISSED'}`,
    );
  }
}
