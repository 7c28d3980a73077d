export { httpTarget, PROBE_HEADER } from './target.js';
export type {
  HttpGateway,
  HttpGatewayFactory,
  HttpGatewayInput,
  HttpTargetOptions,
} from './target.js';
export type { BackendAddresses } from './backends.js';
export { declaredBackends, EchoFleet } from './backends.js';
export type { Address, RawAnswer, WebSocketOutcome } from './client.js';
export { Clients } from './client.js';
export { selfSignedCertificate } from './certificate.js';
export type { TlsMaterial } from './certificate.js';
export { testCertificate, withTlsMaterial } from './tls-objects.js';
export { seededRandom } from './seeded-random.js';
