// @switchyard/node as a user embeds it: createRequestListener on their own http.Server, the table
// compiled once, backends from a static map. No access log, no metrics (the listener's defaults).
import { createServer } from 'node:http';
import { compile } from '@switchyard/core';
import { createRequestListener, staticResolver } from '@switchyard/node';
import { backendOrigin, serve } from '../child.js';
import { NAMESPACE, PORT, SERVICE, routeObjects } from '../routes.js';

const { table } = compile(routeObjects());
const listener = createRequestListener({
  source: table,
  resolver: staticResolver({ [`${NAMESPACE}/${SERVICE}:${PORT}`]: backendOrigin() }),
});
serve(createServer(listener));
