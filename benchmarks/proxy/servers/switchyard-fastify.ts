// @switchyard/fastify as an app embeds it: the plugin on Fastify 5 (logger off, so no access
// log), the table compiled once, backends from a static map. The core routes in `onRequest`.
import fastify from 'fastify';
import { compile } from '@switchyard/core';
import { switchyard } from '@switchyard/fastify';
import { staticResolver } from '@switchyard/node';
import { backendOrigin, serve } from '../child.js';
import { NAMESPACE, PORT, SERVICE, routeObjects } from '../routes.js';

const app = fastify({ logger: false });
await app.register(switchyard, {
  source: compile(routeObjects()).table,
  resolver: staticResolver({ [`${NAMESPACE}/${SERVICE}:${PORT}`]: backendOrigin() }),
});
await app.ready();
serve(app.server);
