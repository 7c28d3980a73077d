// The Node proxy against every case file, over real sockets with echo backends: routing, filters,
// timeouts, retries, mirrors, weights (sampled), CORS, redirects, rewrites, WebSocket, HTTP/2, TLS.
import { casesDir, externalCasesDir, httpTarget, runCases } from '@switchyard/test-kit';
import { nodeGatewayFactory } from './support/gateway-factory.js';

runCases({
  target: httpTarget({
    name: 'node',
    factory: nodeGatewayFactory,
    statuses: true,
    partialMirrorWaitMs: 1,
  }),
  dirs: [casesDir.gatewayApi, casesDir.delegation, externalCasesDir()],
  sampleSize: 2000,
});
