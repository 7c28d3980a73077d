import { defineSwitchyardConfig } from '../../tsup.shared.js';

// The fake API server ships as a subpath for the tests of packages built on this source.
export default defineSwitchyardConfig({
  entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' },
});
