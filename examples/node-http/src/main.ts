/**
 * Runs the example: demo backends on the ports of `backends.local.yaml`, the gateway on port 3000
 * (`PORT`), the manifests reloaded when a file of `examples/delegation/` changes.
 *
 *   pnpm --filter @switchyard/example-node-http start
 *   curl -H 'host: api.example.com' localhost:3000/banking/accounts/42
 */
import { watch } from 'node:fs';
import { createServer } from 'node:http';
import { compile } from '@switchyard/core';
import { defaultLogger, handleClientError, swappableSource } from '@switchyard/node';
import { createExistingGateway } from './gateway.js';
import { loadBackendMap, loadObjects } from './manifests.js';

const backends = loadBackendMap();
for (const [key, origin] of Object.entries(backends)) {
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

const { handler } = createExistingGateway({
  source,
  backends,
  legacy: (_req, res) => {
    res.end('served by the old code\n');
  },
  logger: defaultLogger(),
});
const server = createServer(handler);
server.on('clientError', handleClientError);
const port = Number(process.env['PORT'] ?? 3000);
server.listen(port, () =>
  console.log(`existing gateway on http://localhost:${port} (send Host: api.example.com)`),
);
