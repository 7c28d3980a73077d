import { defineSwitchyardConfig } from '../../tsup.shared.js';

export default defineSwitchyardConfig({ platform: 'neutral' });
