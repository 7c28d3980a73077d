import { defineSwitchyardConfig } from '../../tsup.shared.js';

// The workers are entries of their own: `createWorkerFileSource` and `createCompileWorker` start
// them from next to the index (`import.meta.url`, shimmed in the CommonJS build).
export default defineSwitchyardConfig({
  entry: {
    index: 'src/index.ts',
    'compile-worker': 'src/worker/compile-worker.ts',
    'compile-thread': 'src/worker/compile-thread.ts',
  },
  shims: true,
});
