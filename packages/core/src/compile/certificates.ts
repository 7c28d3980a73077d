/**
 * Listener certificate references (G-4, decision 23): each `certificateRefs` entry must name a
 * core Secret the Gateway may read, of type `kubernetes.io/tls`, whose `tls.crt` holds a PEM
 * CERTIFICATE block and whose `tls.key` holds an unencrypted PEM PRIVATE KEY block. Whether the
 * key matches the certificate needs a TLS library: the data plane checks that when it loads them.
 */
import { decodeBase64Latin1 } from '../api/base64.js';
import type {
  NormalizedBackendObjectRef,
  NormalizedGateway,
  NormalizedListener,
  NormalizedObjects,
  NormalizedSecret,
} from '../api/normalized.js';
import { GATEWAY_GROUP } from '../api/objects.js';
import { grantAllows } from './grants.js';

export interface CertificateProblem {
  readonly reason: 'InvalidCertificateRef' | 'RefNotPermitted';
  readonly message: string;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([A-Za-z0-9+/=\s:,-]*?)-----END \1-----/g;
const KEY_LABELS = new Set(['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY']);

/** The first unusable reference of an HTTPS listener (one is enough: decision 23). */
export function certificateProblem(
  gateway: NormalizedGateway,
  listener: NormalizedListener,
  objects: NormalizedObjects,
  options: { readonly checkCertificateData?: boolean } = {},
): CertificateProblem | undefined {
  if (listener.protocol !== 'HTTPS' || !listener.tls) return undefined;
  for (const ref of listener.tls.certificateRefs) {
    const problem = refProblem(gateway, ref, objects, options.checkCertificateData ?? true);
    if (problem) return problem;
  }
  return undefined;
}

function refProblem(
  gateway: NormalizedGateway,
  ref: NormalizedBackendObjectRef,
  objects: NormalizedObjects,
  checkData: boolean,
): CertificateProblem | undefined {
  const target = `${ref.group === '' ? 'core' : ref.group}/${ref.kind} ${ref.namespace}/${ref.name}`;
  if (ref.group !== '' || ref.kind !== 'Secret') {
    return {
      reason: 'InvalidCertificateRef',
      message: `${target}: only core Secrets are supported`,
    };
  }
  if (ref.namespace !== gateway.namespace) {
    const from = { group: GATEWAY_GROUP, kind: 'Gateway', namespace: gateway.namespace };
    if (!grantAllows(objects, from, ref)) {
      return {
        reason: 'RefNotPermitted',
        message: `${target}: not permitted by any ReferenceGrant`,
      };
    }
  }
  const secret = objects.secrets.get(`${ref.namespace}/${ref.name}`);
  if (!secret || (secret.type !== '' && secret.type !== 'kubernetes.io/tls')) {
    return {
      reason: 'InvalidCertificateRef',
      message: `${target}: no such kubernetes.io/tls Secret`,
    };
  }
  const content = checkData ? secretContentProblem(secret) : undefined;
  return content
    ? { reason: 'InvalidCertificateRef', message: `${target}: ${content}` }
    : undefined;
}

/** What is wrong with a TLS Secret's data, as the fix the user has to make; undefined when usable. */
export function secretContentProblem(secret: NormalizedSecret): string | undefined {
  const cert = pemBlocks(secret.data['tls.crt']);
  if (cert === undefined) return 'data["tls.crt"] is missing; put the PEM certificate chain there';
  if (!cert.includes('CERTIFICATE'))
    return 'data["tls.crt"] holds no PEM CERTIFICATE block (base64 of "-----BEGIN CERTIFICATE-----...")';
  const key = pemBlocks(secret.data['tls.key']);
  if (key === undefined) return 'data["tls.key"] is missing; put the PEM private key there';
  if (key.includes('ENCRYPTED PRIVATE KEY'))
    return 'data["tls.key"] is an encrypted private key; store it unencrypted';
  if (!key.some((label) => KEY_LABELS.has(label)))
    return 'data["tls.key"] holds no PEM PRIVATE KEY block (base64 of "-----BEGIN PRIVATE KEY-----...")';
  return undefined;
}

/** The labels of the PEM blocks in a base64 `data` value; undefined when the value is absent. */
function pemBlocks(value: string | undefined): string[] | undefined {
  if (value === undefined || value === '') return undefined;
  const text = decodeBase64Latin1(value) ?? '';
  return [...text.matchAll(BLOCK)].map((m) => m[1]!);
}
