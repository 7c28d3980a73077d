// @fastify/http-proxy (undici under the hood) on Fastify 5, logger off, proxying the /api prefix.
import fastify from 'fastify';
import proxy from '@fastify/http-proxy';
import { backendOrigin, serve } from '../child.js';

const app = fastify({ logger: false });
await app.register(proxy, { upstream: backendOrigin(), prefix: '/api', rewritePrefix: '/api' });
await app.ready();
serve(app.server);
