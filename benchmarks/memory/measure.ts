/**
 * Measures the memory of one corpus size and prints it as JSON: run by `run.ts` in a fresh
 * process per size, so that no earlier suite or size leaves garbage, compiled code or a
 * fragmented heap behind to blur the figure.
 *
 * `process.memoryUsage()` `heapUsed + arrayBuffers` (the index's tries live in `Int32Array`s,
 * whose contents are outside the JS heap) before and after building, both after a full collection
 * (`--expose-gc`), keeping only what stays alive: the route table for switchyard (statuses and
 * diagnostics dropped), the router for the peers. The input objects exist before the first
 * reading, so strings the table shares with them are not counted.
 */
import { compile } from '@switchyard/core';
import { buildFindMyWay, buildRou3, generateCorpus, peerRoutes } from '../corpus/index.js';
import { collectGarbage, hasGc } from '../stats.js';

export interface MemoryResult {
  readonly routes: number;
  /** Bytes per table or router. */
  readonly switchyard: number;
  readonly findMyWay: number;
  readonly rou3: number;
}

/**
 * Heap bytes still used per result after `build` ran `copies` times and its results are the only
 * thing kept.
 */
function retained(build: () => object, copies: number): number {
  collectGarbage();
  const before = usedBytes();
  const kept: object[] = [];
  for (let i = 0; i < copies; i++) kept.push(build());
  collectGarbage();
  const after = usedBytes();
  // Reading `kept` after the second measurement keeps it alive through it.
  if (kept.length !== copies) throw new Error('unreachable');
  return (after - before) / copies;
}

function usedBytes(): number {
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

/**
 * How many tables to build and keep for one figure. `heapUsed` after a collection moves in steps
 * of tens of megabytes from run to run (one 10k table measured alone read 12 or 18 MB), so
 * switchyard's tables are kept until about 200k routes' worth are alive; the peers' routers are
 * several times larger and need fewer.
 */
function copiesFor(routes: number, total: number): number {
  return Math.max(1, Math.floor(total / routes));
}

export function measureMemory(size: number): MemoryResult {
  if (!hasGc()) throw new Error('the memory suite needs --expose-gc');
  const corpus = generateCorpus(size);
  const peers = peerRoutes(corpus);
  // One build each first, so that what the first call compiles and caches is not counted.
  compile(corpus.objects);
  buildFindMyWay(peers);
  buildRou3(peers);
  return {
    routes: size,
    switchyard: retained(() => compile(corpus.objects).table, copiesFor(size, 200_000)),
    findMyWay: retained(() => buildFindMyWay(peers), copiesFor(size, 20_000)),
    rou3: retained(() => buildRou3(peers), copiesFor(size, 100_000)),
  };
}

const size = Number(process.argv[2]);
if (!Number.isInteger(size)) throw new Error('usage: measure.ts <flattened routes>');
console.log(JSON.stringify(measureMemory(size)));
