/**
 * `switchyard check` on large configurations: the shared corpus written as one YAML file per team
 * (`write-corpus.ts`), then `check` in a fresh child process per size and format
 * (`check-once.ts`), reporting wall time and peak RSS. Target: 64k flattened routes under 5 s and
 * 500 MB.
 *
 * Run from `benchmarks/`: `node --conditions=source --import tsx check/run.ts [--sizes=2000,64000]`
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCorpus } from './write-corpus.js';

const sizesFlag = process.argv.find((arg) => arg.startsWith('--sizes='));
const sizes =
  sizesFlag === undefined ? [2_000, 20_000, 64_000] : sizesFlag.slice(8).split(',').map(Number);
const once = fileURLToPath(new URL('./check-once.ts', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'switchyard-bench-check-'));

console.log(`check benchmark; Node ${process.version}; ${new Date().toISOString()}`);
console.log(
  '| Flattened routes | Config | Files | Format | Wall time | CPU time | Peak RSS | Exit |',
);
console.log(
  '| ---------------- | ------ | ----- | ------ | --------- | -------- | -------- | ---- |',
);
try {
  for (const size of sizes) {
    for (const broken of [false, true]) {
      const dir = join(scratch, `${size}${broken ? '-broken' : ''}`);
      const files = writeCorpus(dir, size, broken);
      const config = broken ? 'every route failing' : 'valid';
      for (const format of broken ? ['github'] : ['text', 'json', 'github']) {
        const output = execFileSync(
          process.execPath,
          ['--conditions=source', '--import', 'tsx', once, dir, format],
          { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
        );
        const { ms, cpuMs, maxRssMb, code } = JSON.parse(output.trim().split('\n').at(-1)!) as {
          ms: number;
          cpuMs: number;
          maxRssMb: number;
          code: number;
        };
        console.log(
          `| ${size} | ${config} | ${files} | ${format} | ${(ms / 1000).toFixed(2)} s | ${(cpuMs / 1000).toFixed(2)} s | ${maxRssMb} MB | ${code} |`,
        );
      }
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
