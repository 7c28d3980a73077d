/**
 * `compile` next to `normalize` alone on one corpus size (median of many runs), to see how much
 * of compile the API layer takes. A probe for A/B work, not a benchmark.
 *
 *     node --expose-gc --conditions=source --import tsx profile/phases.ts 10000
 */
import { compile, normalize } from '@switchyard/core';
import { generateCorpus } from '../corpus/generate.js';

const size = Number(process.argv[2] ?? '10000');
const corpus = generateCorpus(size);
const gc = (globalThis as { gc?: () => void }).gc;
function median(run: () => unknown, rounds: number): number {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    gc?.();
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1]!;
}
for (let i = 0; i < 3; i++) compile(corpus.objects);
const normalizeMs = median(() => normalize(corpus.objects), 15);
const compileMs = median(() => compile(corpus.objects), 15);
console.log(
  `${size}: compile ${compileMs.toFixed(1)} ms, normalize ${normalizeMs.toFixed(1)} ms (${((100 * normalizeMs) / compileMs).toFixed(0)}%)`,
);
