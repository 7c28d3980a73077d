// Test helpers shared by the framework adapters' own tests (Express, Fastify): generated
// delegation worlds and requests, a capturing backend, and a raw HTTP client.
export * from './arbitraries.js';
export * from './world.js';
export * from './backend.js';
export * from './client.js';
