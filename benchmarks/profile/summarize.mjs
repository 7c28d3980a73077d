// Prints the functions with the most self time (and their file:line) from a V8 .cpuprofile.
import { readFileSync } from 'node:fs';

const [file, limitText = '30'] = process.argv.slice(2);
if (!file) throw new Error('usage: node summarize.mjs <file.cpuprofile> [limit]');
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map();
const total = profile.samples.length;
for (const id of profile.samples) {
  const { callFrame } = byId.get(id);
  const key = `${callFrame.functionName || '(anonymous)'} ${callFrame.url.replace(/^.*\/(packages|benchmarks|node_modules)\//, '$1/')}:${callFrame.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + 1);
}
const rows = [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(limitText));
for (const [key, count] of rows)
  console.log(`${((count / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
