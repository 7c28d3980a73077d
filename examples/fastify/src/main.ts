/**
 * Runs the example: demo backends on the ports of `backends.local.yaml`, the app on port 3000
 * (`PORT`), the manifests hot-reloaded when a file of `examples/delegation/` changes.
 *
 *   pnpm --filter @switchyard/example-fastify start
 *   curl -H 'host: api.example.com' localhost:3000/banking/accounts/42
 */
import { watch } from 'node:fs';
import { createServer } from 'node:http';
import { compile } from '@switchyard/core';
import { swappableSource } from '@switchyard/node';
import { createApp } from './app.js';
import { loadBackendMap, loadObjects } from './manifests.js';

const backends = loadBackendMap();
for (const [key, origin] of Object.entries(backends)) {
  // A stand-in for each team's Service: says who it is and what it received.
  createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ served: key, method: req.method, path: req.url }));
  }).listen(Number(new URL(origin).port), '127.0.0.1');
}

const source = swappableSource(compile(loadObjects()).table);
watch(new URL('../../delegation/', import.meta.url), { recursive: true }, () => {
  try {
    source.swap(compile(loadObjects()).table);
  } catch (error) {
    // A file caught half-written: keep serving the last good table.
    console.error('manifests not reloaded:', (error as Error).message);
  }
});

const app = await createApp({ source, backends, logger: true });
await app.listen({ port: Number(process.env['PORT'] ?? 3000) });
