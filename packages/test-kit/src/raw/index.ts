export { startRawBackend } from './backend.js';
export type { RawBackend, RawReceived } from './backend.js';
export { parseResponses, rawExchange } from './client.js';
export type { RawOptions, RawOutcome, RawResponse } from './client.js';
export { onlyRequest, rawGet, runAttack } from './attack.js';
export type { AttackCase, AttackWorld } from './attack.js';
