// `pnpm test` after set-up: runs vitest (arguments passed on), then prints the summary of
// count-results.mjs (skip reasons, then "N passed, N failed, N skipped") from this run's report.
// The previous report is removed first, so a run that crashed can never be summarised as passed.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const report = 'test-results.json';
rmSync(new URL(`../${report}`, import.meta.url), { force: true });
const vitest = spawnSync(
  process.execPath,
  [
    fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url)),
    'run',
    ...process.argv.slice(2),
  ],
  { cwd: root, stdio: 'inherit' },
);
const summary = spawnSync(
  process.execPath,
  [fileURLToPath(new URL('count-results.mjs', import.meta.url)), report],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
process.exit(vitest.status !== 0 || summary.status !== 0 ? 1 : 0);
