/** The shared route corpus: objects for switchyard, equivalent routes for the peers, requests. */
export * from './layout.js';
export * from './generate.js';
export * from './requests.js';
export * from './peers.js';
export * from './sanity.js';
