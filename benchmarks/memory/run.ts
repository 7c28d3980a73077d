/**
 * Table memory, one fresh process per corpus size (`measure.ts`, same Node flags as this one):
 * heap kept by switchyard's route table next to find-my-way's and rou3's routers.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { formatSize, markdownTable } from '../stats.js';
import type { MemoryResult } from './measure.js';

export type { MemoryResult } from './measure.js';

const MEASURE = fileURLToPath(new URL('./measure.ts', import.meta.url));

export async function runMemory(sizes: readonly number[]): Promise<MemoryResult[]> {
  console.log('\n== memory');
  const results: MemoryResult[] = [];
  for (const size of sizes) {
    const output = execFileSync(process.execPath, [...process.execArgv, MEASURE, String(size)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const result = JSON.parse(output.trim().split('\n').pop()!) as MemoryResult;
    console.log(
      `memory ${formatSize(size)}: switchyard ${mb(result.switchyard)} MB, find-my-way ` +
        `${mb(result.findMyWay)} MB, rou3 ${mb(result.rou3)} MB`,
    );
    results.push(result);
  }
  printSummary(results);
  return results;
}

function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

function printSummary(results: readonly MemoryResult[]): void {
  console.log(
    '\n### Table memory (heapUsed + arrayBuffers delta after gc, fresh process per size)\n',
  );
  console.log(
    markdownTable(
      [
        'Flattened routes',
        'switchyard table',
        'bytes per route',
        'find-my-way',
        'bytes per route',
        'rou3',
        'bytes per route',
      ],
      results.map((r) => [
        formatSize(r.routes),
        `${mb(r.switchyard)} MB`,
        String(Math.round(r.switchyard / r.routes)),
        `${mb(r.findMyWay)} MB`,
        String(Math.round(r.findMyWay / r.routes)),
        `${mb(r.rou3)} MB`,
        String(Math.round(r.rou3 / r.routes)),
      ]),
    ),
  );
}
