// @switchyard/express as an app embeds it: the middleware in an Express 5 app, the table compiled
// once, backends from a static map, no access log. Express decides nothing: the core routes.
import { createServer } from 'node:http';
import type { RequestListener } from 'node:http';
import { createRequire } from 'node:module';
import { compile } from '@switchyard/core';
import { switchyard } from '@switchyard/express';
import { staticResolver } from '@switchyard/node';
import { backendOrigin, serve } from '../child.js';
import { NAMESPACE, PORT, SERVICE, routeObjects } from '../routes.js';

// Loaded untyped: the benchmarks package does not carry @types/express.
const express = createRequire(import.meta.url)('express') as () => RequestListener & {
  use(handler: unknown): void;
};
const app = express();
app.use(
  switchyard({
    source: compile(routeObjects()).table,
    resolver: staticResolver({ [`${NAMESPACE}/${SERVICE}:${PORT}`]: backendOrigin() }),
  }),
);
serve(createServer(app));
