import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources through the `source` export condition,
// so tests never need a prior build.
const conditions = ['source', 'node', 'import', 'module', 'default'];
// Vitest hands the SSR conditions to worker processes as Node `--conditions`; `import` there would
// make CommonJS `require` calls (Express 5's router requiring `is-promise`) load ESM builds.
// Node adds `import` for ESM imports by itself.
const serverConditions = ['source', 'node', 'module', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions: serverConditions, externalConditions: ['source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // One time budget for every fast-check property (ms); 1,000 runs each fit well inside it here.
    env: { FC_TIME_BUDGET_MS: process.env.FC_TIME_BUDGET_MS ?? '15000' },
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
  },
});
