/**
 * A steady loop for profilers, not a benchmark: resolves the request mix against one corpus size
 * for a few seconds (or compiles it repeatedly with `compile`).
 *
 *     node --cpu-prof --cpu-prof-dir=.profiles --conditions=source --import tsx \
 *       profile/resolve.ts resolve 10000
 *     node profile/summarize.mjs .profiles/<file>.cpuprofile
 */
import { compile, resolve } from '@switchyard/core';
import { generateCorpus } from '../corpus/generate.js';
import { requestMix } from '../corpus/requests.js';

const [what = 'resolve', sizeText = '10000', secondsText = '5'] = process.argv.slice(2);
const size = Number(sizeText);
const corpus = generateCorpus(size);
const seconds = Number(secondsText) * 1000;
let rounds = 0;
let sink = 0;
if (what === 'compile') {
  const deadline = performance.now() + seconds;
  while (performance.now() < deadline) {
    sink += compile(corpus.objects).table.listeners.length;
    rounds++;
  }
} else {
  const { table } = compile(corpus.objects);
  const requests = requestMix(corpus).map((r) => r.resolve);
  // The clock starts after the table is built: the loop is what a profile should show.
  const deadline = performance.now() + seconds;
  while (performance.now() < deadline) {
    for (const request of requests) sink += resolve(table, request).kind.length;
    rounds++;
  }
}
console.log(`${what} ${size}: ${rounds} rounds (${sink})`);
