/**
 * Certificates for HTTPS listeners: from Kubernetes TLS Secrets (base64 `tls.crt`/`tls.key`, as
 * the listener's `certificateRefs` name them) or from files, selected per connection by the TLS
 * server name among the listeners sharing a port.
 */
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import type { SecureContext } from 'node:tls';
import type { ObjectKey, TableListener } from '@switchyard/core';
import { CertificateNotFoundError } from './errors.js';

/** A certificate chain and its private key, PEM. */
export interface TlsCertificate {
  readonly cert: string | Buffer;
  readonly key: string | Buffer;
}

/** The certificate a `certificateRefs` entry names, or undefined when unknown. */
export type CertificateProvider = (ref: ObjectKey) => TlsCertificate | undefined;

function record(value: unknown): Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/**
 * Certificates from Kubernetes Secrets (`type: kubernetes.io/tls`; base64 `data` or plain
 * `stringData`), as a user would apply them.
 *
 * @example createGateway({ source, certificates: certificatesFromSecrets(objects) })
 */
export function certificatesFromSecrets(objects: readonly unknown[]): CertificateProvider {
  const byKey = new Map<string, TlsCertificate>();
  for (const object of objects) {
    const value = record(object);
    if (value['kind'] !== 'Secret') continue;
    const metadata = record(value['metadata']);
    const data = record(value['data']);
    const plain = record(value['stringData']);
    const read = (name: string): string | undefined => {
      if (typeof plain[name] === 'string') return plain[name] as string;
      if (typeof data[name] === 'string')
        return Buffer.from(data[name] as string, 'base64').toString('utf8');
      return undefined;
    };
    const cert = read('tls.crt');
    const key = read('tls.key');
    if (cert === undefined || key === undefined) continue;
    byKey.set(`${String(metadata['namespace'] ?? 'default')}/${String(metadata['name'] ?? '')}`, {
      cert,
      key,
    });
  }
  return (ref) => byKey.get(`${ref.namespace}/${ref.name}`);
}

/**
 * Certificates from PEM files, keyed `namespace/name` as the listeners reference them. Files are
 * read each time certificates are (re)loaded, i.e. at startup and on every table swap, so
 * rotated files are picked up with the next configuration change.
 *
 * @example certificatesFromFiles({ 'infra/wildcard-tls': { certFile: '/tls/tls.crt', keyFile: '/tls/tls.key' } })
 */
export function certificatesFromFiles(
  files: Readonly<Record<string, { readonly certFile: string; readonly keyFile: string }>>,
): CertificateProvider {
  return (ref) => {
    const key = `${ref.namespace}/${ref.name}`;
    if (!Object.hasOwn(files, key)) return undefined;
    const entry = files[key]!;
    return { cert: readFileSync(entry.certFile), key: readFileSync(entry.keyFile) };
  };
}

interface Candidate {
  readonly hostname: string | undefined;
  readonly context: SecureContext;
}

/** The contexts of the HTTPS listeners on one port, chosen by server name. */
export class CertificateSelector {
  private candidates: readonly Candidate[] = [];
  /** The first listener's certificate: for clients that send no server name. */
  fallback: TlsCertificate | undefined;

  /**
   * Loads the certificates of `listeners`. Throws `CertificateNotFoundError` when a listener has
   * none; the previous contexts stay in use until a load succeeds.
   */
  load(
    listeners: readonly TableListener[],
    provider: CertificateProvider | undefined,
    fallback?: TlsCertificate,
  ): void {
    const candidates: Candidate[] = [];
    let first: TlsCertificate | undefined;
    for (const listener of listeners) {
      const pairs = listener.certificateRefs
        .map((ref) => provider?.(ref))
        .filter((pair): pair is TlsCertificate => pair !== undefined);
      if (pairs.length === 0 && fallback !== undefined) pairs.push(fallback);
      if (pairs.length === 0) {
        const refs =
          listener.certificateRefs.map((r) => `${r.namespace}/${r.name}`).join(', ') || 'none';
        throw new CertificateNotFoundError(
          `HTTPS listener ${listener.name} (port ${listener.port}) has no certificate (references: ${refs})`,
        );
      }
      first ??= pairs[0];
      const context = createSecureContext({
        cert: pairs.map((pair) => pair.cert),
        key: pairs.map((pair) => pair.key),
      });
      candidates.push({ hostname: listener.hostname, context });
    }
    this.candidates = candidates;
    this.fallback = first;
  }

  /** The context for a server name: exact hostname, then longest wildcard, then no hostname. */
  select(servername: string): SecureContext | undefined {
    const name = servername.toLowerCase();
    let wildcard: Candidate | undefined;
    let catchAll: Candidate | undefined;
    for (const candidate of this.candidates) {
      const hostname = candidate.hostname;
      if (hostname === undefined) catchAll ??= candidate;
      else if (hostname === name) return candidate.context;
      else if (
        hostname.startsWith('*.') &&
        name.endsWith(hostname.slice(1)) &&
        (wildcard === undefined || hostname.length > wildcard.hostname!.length)
      ) {
        wildcard = candidate;
      }
    }
    return (wildcard ?? catchAll ?? this.candidates[0])?.context;
  }

  /** An `SNICallback` reading the current contexts. */
  readonly sniCallback = (
    servername: string,
    callback: (error: Error | null, context?: SecureContext) => void,
  ): void => {
    callback(null, this.select(servername));
  };
}
