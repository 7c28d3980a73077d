/**
 * The corpus's TLS Secrets carry `PLACEHOLDER` instead of a certificate ("runners generate a
 * self-signed certificate/key pair at run time"): this fills them in, with one pair per process.
 */
import { selfSignedCertificate } from './certificate.js';
import type { TlsMaterial } from './certificate.js';

type KubeObject = Readonly<Record<string, unknown>>;

let material: TlsMaterial | undefined;

/** The process's test certificate (generated on first use). */
export function testCertificate(): TlsMaterial {
  material ??= selfSignedCertificate([
    'localhost',
    'example.org',
    '*.example.org',
    '*.wildcard.org',
  ]);
  return material;
}

function isPlaceholder(value: unknown): boolean {
  return typeof value === 'string' && value.trim() === 'PLACEHOLDER';
}

/** `objects` with every TLS Secret whose data is a placeholder given a real key pair (base64 PEM). */
export function withTlsMaterial(objects: readonly KubeObject[]): readonly KubeObject[] {
  return objects.map((object) => {
    if (object['kind'] !== 'Secret') return object;
    const data = (object['data'] ?? {}) as Record<string, unknown>;
    if (!isPlaceholder(data['tls.crt']) && !isPlaceholder(data['tls.key'])) return object;
    const { cert, key } = testCertificate();
    return {
      ...object,
      data: {
        ...data,
        'tls.crt': Buffer.from(cert).toString('base64'),
        'tls.key': Buffer.from(key).toString('base64'),
      },
    };
  });
}
