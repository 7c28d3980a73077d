/**
 * Starts one of this package's worker entries: as built next to this module (`NAME.js`/`.cjs`,
 * tsup entries of the same name), or, when running from the TypeScript sources in this workspace
 * (tests), the `.ts` entry through tsx.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** The worker entries: the file source's engine, and the compile-only worker. */
export type WorkerEntry = 'compile-worker' | 'compile-thread';

export function startWorker(
  entry: WorkerEntry,
  workerData: unknown,
  memoryMb: number | undefined,
): Worker {
  const resourceLimits = memoryMb === undefined ? {} : { maxOldGenerationSizeMb: memoryMb };
  const here = moduleUrl();
  if (here.endsWith('.ts')) {
    const tsx = join(
      dirname(createRequire(here).resolve('tsx/package.json')),
      'dist/esm/api/index.mjs',
    );
    const source = new URL(`./${entry}.ts`, here).href;
    const code = `import(${JSON.stringify(pathToFileURL(tsx).href)}).then((m) => { m.register(); return import(${JSON.stringify(source)}); })`;
    return new Worker(code, {
      eval: true,
      workerData,
      resourceLimits,
      execArgv: ['--conditions=source'],
    });
  }
  const file = fileURLToPath(here).endsWith('.cjs') ? `${entry}.cjs` : `${entry}.js`;
  return new Worker(new URL(`./${file}`, here), { workerData, resourceLimits });
}

function moduleUrl(): string {
  return import.meta.url;
}
