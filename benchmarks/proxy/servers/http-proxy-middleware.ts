// http-proxy-middleware 3 on Express 5, with a keep-alive agent (its default opens a connection
// per request, which would only measure connection setup).
import { Agent, createServer } from 'node:http';
import type { RequestListener } from 'node:http';
import { createRequire } from 'node:module';
import { createProxyMiddleware } from 'http-proxy-middleware';
import { backendOrigin, serve } from '../child.js';

// Loaded untyped: the benchmarks package does not carry @types/express.
const express = createRequire(import.meta.url)('express') as () => RequestListener & {
  use(handler: unknown): void;
};
const app = express();
app.use(
  createProxyMiddleware({
    target: backendOrigin(),
    pathFilter: '/api',
    agent: new Agent({ keepAlive: true, maxSockets: 128 }),
  }),
);
serve(createServer(app));
