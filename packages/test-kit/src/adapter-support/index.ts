// Test helpers shared by the framework adapters' own tests (Express, Fastify): generated
// delegation worlds and requests, a capturing backend, a raw HTTP client, and the decision property
// every adapter must hold.
export * from './arbitraries.js';
export * from './world.js';
export * from './backend.js';
export * from './client.js';
export * from './decision-property.js';
