/**
 * The Node proxy as an `httpTarget` factory: compile the case's objects for one Gateway, serve
 * them with `createGateway` on free ports (HTTP/2 over TLS and h2c on), certificates from the
 * case's Secrets, backends through the echo fleet's live address map.
 */
import { compile } from '@switchyard/core';
import type { CompileResult } from '@switchyard/core';
import type { HttpGatewayFactory } from '@switchyard/test-kit';
import { seededRandom } from '@switchyard/test-kit';
import {
  certificatesFromSecrets,
  createGateway,
  staticResolver,
  swappableSource,
} from '../../src/index.js';
import type { CertificateProvider } from '../../src/index.js';

export const nodeGatewayFactory: HttpGatewayFactory = async (input) => {
  const build = (objects: readonly unknown[]): CompileResult =>
    compile(objects, { ...input.compileOptions, gateway: input.gateway });
  let result = build(input.objects);
  let certificates: CertificateProvider = certificatesFromSecrets(input.objects);
  const source = swappableSource(result.table);
  const gateway = await createGateway({
    source,
    host: '127.0.0.1',
    ports: () => 0,
    certificates: (ref) => certificates(ref),
    resolver: staticResolver(input.backends),
    random: seededRandom(),
    http2: { tls: true, cleartext: true },
    logger: false,
    metrics: false,
  });
  return {
    addressFor: (port) => gateway.addressFor(port),
    async apply(objects) {
      result = build(objects);
      certificates = certificatesFromSecrets(objects);
      source.swap(result.table);
      await gateway.settled();
    },
    statuses: () => ({ routes: result.statuses, gateways: result.gateways }),
    close: () => gateway.close({ graceMs: 0 }),
  };
};
