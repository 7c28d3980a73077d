import { defineSwitchyardConfig } from '../../tsup.shared.js';

export default defineSwitchyardConfig({ entry: ['src/index.ts'] });
