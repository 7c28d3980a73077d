// Prints the functions with the most self time (and their file:line) from a V8 .cpuprofile, or
// with `--inclusive` the most time including their callees (each function counted once per
// sample, however often it is on the stack).
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const inclusive = args.includes('--inclusive');
const [file, limitText = '30'] = args.filter((arg) => arg !== '--inclusive');
if (!file) throw new Error('usage: node summarize.mjs <file.cpuprofile> [limit] [--inclusive]');
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parentOf = new Map();
for (const node of profile.nodes)
  for (const child of node.children ?? []) parentOf.set(child, node.id);
const keyOf = ({ callFrame }) =>
  `${callFrame.functionName || '(anonymous)'} ${callFrame.url.replace(/^.*\/(packages|benchmarks|node_modules)\//, '$1/')}:${callFrame.lineNumber + 1}`;
const counts = new Map();
const total = profile.samples.length;
for (const id of profile.samples) {
  if (!inclusive) {
    const key = keyOf(byId.get(id));
    counts.set(key, (counts.get(key) ?? 0) + 1);
    continue;
  }
  const seen = new Set();
  for (let at = id; at !== undefined; at = parentOf.get(at)) seen.add(keyOf(byId.get(at)));
  for (const key of seen) counts.set(key, (counts.get(key) ?? 0) + 1);
}
const rows = [...counts].sort((a, b) => b[1] - a[1]).slice(0, Number(limitText));
for (const [key, count] of rows)
  console.log(`${((count / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
