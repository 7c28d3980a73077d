export { ECHO_BACKEND_HEADER, startEchoBackend } from './server.js';
export type { EchoBackend, EchoBackendOptions, EchoRecord } from './server.js';
export { readKnobs } from './knobs.js';
export type { Knobs, RetryKnob } from './knobs.js';
