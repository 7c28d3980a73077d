/**
 * The corpus run for one Express major: the Gateway API cases and the delegation cases over real
 * sockets with echo backends. Express speaks no HTTP/2. Route and listener statuses come from
 * `compile`, not from the middleware, so this target does not report them (the core and node runs
 * check them); they show up as skipped.
 */
import { casesDir, externalCasesDir, httpTarget, runCases } from '@switchyard/test-kit';
import type { Flavour } from './flavours.js';
import { expressGatewayFactory } from './gateway-factory.js';

export function runCorpus(flavour: Flavour): void {
  runCases({
    target: httpTarget({
      name: flavour.name,
      factory: expressGatewayFactory(flavour),
      cannotObserve: ['http2'],
    }),
    dirs: [casesDir.gatewayApi, casesDir.delegation, externalCasesDir()],
  });
}
