import { defineConfig, type Options } from 'tsup';

/**
 * The one tsup configuration every published package builds with: dual ESM + CJS with
 * declarations per format, ES2022, no bundling of dependencies. A package passes only what
 * differs (its entries, and `platform: 'neutral'` for the pure core).
 */
export function defineSwitchyardConfig(overrides: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    target: 'es2022',
    platform: 'node',
    dts: { compilerOptions: { composite: false, customConditions: [] } },
    sourcemap: true,
    clean: true,
    treeshake: true,
    splitting: false,
    ...overrides,
  });
}
