// @switchyard/node with what createGateway turns on by default: Prometheus metrics and a pino
// access-log line per request (stdout, which the benchmark points at /dev/null).
import { createServer } from 'node:http';
import { compile } from '@switchyard/core';
import {
  createMetrics,
  createRequestListener,
  defaultLogger,
  staticResolver,
} from '@switchyard/node';
import { backendOrigin, serve } from '../child.js';
import { NAMESPACE, PORT, SERVICE, routeObjects } from '../routes.js';

const { table } = compile(routeObjects());
const listener = createRequestListener({
  source: table,
  resolver: staticResolver({ [`${NAMESPACE}/${SERVICE}:${PORT}`]: backendOrigin() }),
  metrics: createMetrics(),
  logger: defaultLogger('info'),
});
serve(createServer(listener));
