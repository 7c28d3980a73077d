/**
 * A quick A/B probe, not a benchmark: median ns per lookup of `resolve` over the request mix at
 * one size (many short rounds), for comparing two versions of the core in alternation.
 *
 *     node --conditions=source --import tsx profile/quick.ts 100000
 */
import { compile, resolve } from '@switchyard/core';
import { generateCorpus } from '../corpus/generate.js';
import { requestMix } from '../corpus/requests.js';

const size = Number(process.argv[2] ?? '10000');
const corpus = generateCorpus(size);
const { table } = compile(corpus.objects);
const requests = requestMix(corpus).map((r) => r.resolve);
let sink = 0;
const samples: number[] = [];
for (let round = 0; round < 400; round++) {
  const start = process.hrtime.bigint();
  for (let k = 0; k < 20; k++)
    for (const request of requests) sink += resolve(table, request).kind.length;
  const ns = Number(process.hrtime.bigint() - start) / (20 * requests.length);
  if (round >= 100) samples.push(ns);
}
samples.sort((a, b) => a - b);
console.log(`${size}: median ${samples[samples.length >> 1]!.toFixed(0)} ns/lookup (${sink % 7})`);
