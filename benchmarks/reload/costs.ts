/**
 * What a reload of a large configuration costs, step by step, to choose how a table built in a
 * worker reaches the serving thread: parse (YAML with positions), compile, structured clone of the
 * compile result (what postMessage does), deep freeze of the clone, the first lookup (builds the
 * per-listener index), and structured clone of the objects (the alternative: clone the objects
 * and compile again on the serving thread).
 *
 * `node --conditions=source --import tsx reload/costs.ts 50000` (from `benchmarks/`)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { assembleTable, compile, resolve, splitTable, type WireRoute } from '@switchyard/core';
import { parseManifestFile } from '@switchyard/files';
import { stringify } from 'yaml';
import { generateCorpus, GATEWAY, HOST } from '../corpus/index.js';

const size = Number(process.argv[2] ?? 50_000);
const corpus = generateCorpus(size);
const text = corpus.objects.map((o) => stringify(o)).join('---\n');
const dir = mkdtempSync(join(tmpdir(), 'switchyard-reload-costs-'));
const file = join(dir, 'routes.yaml');
writeFileSync(file, text);

function time<T>(label: string, run: () => T): T {
  const start = process.hrtime.bigint();
  const value = run();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  console.log(`${label.padEnd(44)} ${ms.toFixed(1).padStart(9)} ms`);
  return value;
}

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
}

console.log(`${size} flattened routes, ${(text.length / 1e6).toFixed(1)} MB of YAML`);
const parsed = time('parse (YAML with positions)', () => parseManifestFile(file, text));
if (!parsed.ok) throw new Error(parsed.problem.message);
const values = parsed.objects.map((o) => o.value);
const result = time('compile', () => compile(values, { gateway: GATEWAY }));
const cloned = time('structuredClone(compile result)', () => structuredClone(result));
time('deep freeze of the clone', () => deepFreeze(cloned));
const request = { method: 'GET', host: HOST, port: 80, path: '/team-0/svc-0/x' } as const;
time('first resolve on the clone (builds the index)', () => resolve(cloned.table, request));
time('second resolve', () => resolve(cloned.table, request));
const bytes = time('v8.serialize(table) (worker side)', () => serialize(result.table));
console.log(`  serialized table: ${(bytes.length / 1e6).toFixed(1)} MB`);
time('v8.deserialize(table) (serving side, one piece)', () => deserialize(bytes));
const listener = result.table.listeners[0]!;
const withoutIndex = { ...listener, index: undefined };
const plain = serialize(withoutIndex);
time('v8.deserialize(listener without index)', () => deserialize(plain));
const slices: Buffer[] = [];
for (let i = 0; i < listener.routes.length; i += 500)
  slices.push(serialize(listener.routes.slice(i, i + 500)));
let worst = 0;
for (const slice of slices) {
  const start = process.hrtime.bigint();
  deserialize(slice);
  worst = Math.max(worst, Number(process.hrtime.bigint() - start) / 1e6);
}
console.log(
  `${'worst v8.deserialize of a 500-route slice'.padEnd(44)} ${worst.toFixed(1).padStart(9)} ms`,
);
time('buildListenerIndex on the serving side', () =>
  resolve(
    { ...cloned.table, listeners: [{ ...cloned.table.listeners[0]!, index: undefined }] },
    request,
  ),
);
const objects = time('structuredClone(objects)', () => structuredClone(values));
time('compile the cloned objects again', () => compile(objects, { gateway: GATEWAY }));

// Session 4: what the serving thread does now. The routes arrive in parts of 100 (copied here as
// a thread boundary copies them) and `assembleTable` puts the table together step by step.
const { outline, routes } = splitTable(result.table);
const copies = routes.map((list) => {
  const copied: WireRoute[] = [];
  for (let i = 0; i < list.length; i += 100)
    copied.push(...(deserialize(serialize(list.slice(i, i + 100))) as WireRoute[]));
  return copied;
});
const steps = assembleTable(outline, copies);
const stepMs: number[] = [];
for (let last = performance.now(); ;) {
  const step = steps.next();
  const now = performance.now();
  stepMs.push(now - last);
  last = now;
  if (step.done === true) break;
}
stepMs.sort((a, b) => a - b);
console.log(
  `${'assembleTable (serving side, in steps)'.padEnd(44)} ${stepMs
    .reduce((a, b) => a + b, 0)
    .toFixed(1)
    .padStart(
      9,
    )} ms: ${stepMs.length} steps, median ${stepMs[stepMs.length >> 1]!.toFixed(2)} ms, slowest ${stepMs[stepMs.length - 1]!.toFixed(1)} ms`,
);
time('v8.serialize of the objects in parts of 100', () => {
  for (let i = 0; i < values.length; i += 100) serialize(values.slice(i, i + 100));
});
rmSync(dir, { recursive: true, force: true });
