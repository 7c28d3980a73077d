/**
 * The benchmark entry: `pnpm bench` runs every suite, `pnpm bench <suite>` one of them
 * (`matcher`, `compile`, `memory`, `proxy`). `--sizes=100,1000` limits the corpus sizes of the
 * core suites (default: 100, 1k, 10k, 100k flattened routes).
 *
 * Run with `--expose-gc` (the `bench` script does) so the memory suite can collect before it
 * measures, and with `--conditions=source` so `@switchyard/core` is benchmarked from its sources,
 * not from a possibly stale build.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SIZES } from './corpus/layout.js';
import { hasGc } from './stats.js';

type Suite = 'matcher' | 'compile' | 'memory' | 'proxy';
const SUITES: readonly Suite[] = ['matcher', 'compile', 'memory', 'proxy'];

async function main(argv: readonly string[]): Promise<void> {
  const positional = argv.filter((arg) => !arg.startsWith('--'));
  const sizesFlag = argv.find((arg) => arg.startsWith('--sizes='));
  const sizes = sizesFlag === undefined ? [...SIZES] : sizesFlag.slice(8).split(',').map(Number);
  const unknown = positional.filter((arg) => !SUITES.includes(arg as Suite));
  if (unknown.length > 0) {
    console.error(`unknown suite ${unknown.join(', ')}; one of: ${SUITES.join(', ')}`);
    process.exitCode = 2;
    return;
  }
  const suites = positional.length === 0 ? SUITES : (positional as Suite[]);
  console.log(
    `switchyard benchmarks: ${suites.join(', ')}; Node ${process.version}, ${process.platform}/${process.arch}; ` +
      `${new Date().toISOString()}`,
  );
  if (!hasGc()) console.log('note: run with --expose-gc for the memory suite (pnpm bench does)');
  for (const suite of suites) {
    if (suite === 'matcher') await (await import('./matcher/run.js')).runMatcher(sizes);
    if (suite === 'compile') await (await import('./compile/run.js')).runCompile(sizes);
    if (suite === 'memory') await (await import('./memory/run.js')).runMemory(sizes);
    if (suite === 'proxy') await runProxy(argv);
  }
}

/**
 * The proxy suite lives in `./proxy/run.ts`, written separately; run it when it is there.
 * Contract: it exports `runProxy(options?)` and does not run on import; when it also exports
 * `parseArgs(argv)`, the command line's `--flags` are passed through to it.
 */
async function runProxy(argv: readonly string[]): Promise<void> {
  const entry = fileURLToPath(new URL('./proxy/run.ts', import.meta.url));
  if (!existsSync(entry)) {
    console.log('\n== proxy: benchmarks/proxy/run.ts is not there; skipped');
    return;
  }
  // A variable specifier: the folder may be absent when this file is typechecked.
  const specifier = './proxy/run.js';
  const module = (await import(specifier)) as Record<string, unknown>;
  const runner = module.runProxy ?? module.run ?? module.default;
  if (typeof runner !== 'function') {
    console.log('\n== proxy: benchmarks/proxy/run.ts exports no runProxy(); skipped');
    return;
  }
  const flags = argv.filter((arg) => arg.startsWith('--') && !arg.startsWith('--sizes='));
  const options = typeof module.parseArgs === 'function' ? module.parseArgs(flags) : undefined;
  await (runner as (options?: unknown) => unknown)(options);
}

await main(process.argv.slice(2));
