import { defineSwitchyardConfig } from '../../tsup.shared.js';

// The compile worker is its own entry: `createWorkerFileSource` starts it from next to the index
// (`import.meta.url`, shimmed in the CommonJS build).
export default defineSwitchyardConfig({
  entry: { index: 'src/index.ts', 'compile-worker': 'src/worker/compile-worker.ts' },
  shims: true,
});
