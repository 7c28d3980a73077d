/**
 * Certificates for HTTPS listeners: from Kubernetes TLS Secrets (base64 `tls.crt`/`tls.key`, as
 * the listener's `certificateRefs` name them) or from files, selected per connection by the TLS
 * server name among the listeners sharing a port.
 */
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import type { SecureContext } from 'node:tls';
import type { ObjectKey, TableListener } from '@switchyard/core';
import { CertificateNotFoundError, InvalidCertificateError } from './errors.js';

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
  readonly listener: string;
  readonly hostname: string | undefined;
  /** Undefined when the listener's certificate could not be loaded: its server names are refused. */
  readonly context: SecureContext | undefined;
  readonly pair: TlsCertificate | undefined;
}

/** A listener whose certificate could not be used, and why (`CertificateNotFoundError` or `InvalidCertificateError`). */
export interface CertificateFailure {
  readonly listener: string;
  readonly port: number;
  readonly error: CertificateNotFoundError | InvalidCertificateError;
}

/** The contexts of the HTTPS listeners on one port, chosen by server name. */
export class CertificateSelector {
  private candidates: readonly Candidate[] = [];
  /** The first loaded listener's certificate: for clients that send no server name. */
  fallback: TlsCertificate | undefined;

  /**
   * Loads the certificates of `listeners`, each on its own: a listener whose certificate is
   * missing or unusable (no pair, bad PEM, key not matching the certificate) keeps the context it
   * had before, if any, or else is refused at the handshake; the other listeners on the port load
   * regardless. Returns the failures. Throws the first failure only when no listener of the port
   * has a certificate at all (nothing could be served); the previous contexts then stay in use.
   */
  load(
    listeners: readonly TableListener[],
    provider: CertificateProvider | undefined,
    fallback?: TlsCertificate,
  ): CertificateFailure[] {
    const previous = new Map(this.candidates.map((c) => [c.listener, c]));
    const candidates: Candidate[] = [];
    const failures: CertificateFailure[] = [];
    for (const listener of listeners) {
      const loaded = loadListener(listener, provider, fallback);
      if ('error' in loaded) {
        failures.push({ listener: listener.name, port: listener.port, error: loaded.error });
        const kept = previous.get(listener.name);
        candidates.push(
          kept?.context !== undefined
            ? { ...kept, hostname: listener.hostname }
            : {
                listener: listener.name,
                hostname: listener.hostname,
                context: undefined,
                pair: undefined,
              },
        );
        continue;
      }
      candidates.push({ listener: listener.name, hostname: listener.hostname, ...loaded });
    }
    const first = candidates.find((c) => c.pair !== undefined)?.pair;
    if (first === undefined && failures.length > 0) throw failures[0]!.error;
    this.candidates = candidates;
    this.fallback = first;
    return failures;
  }

  /**
   * The context for a server name: exact hostname, then longest wildcard, then no hostname, then
   * the first listener. Undefined when that listener's certificate could not be loaded.
   */
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
    return (wildcard ?? catchAll ?? this.candidates.find((c) => c.context !== undefined))?.context;
  }

  /** An `SNICallback` reading the current contexts. */
  readonly sniCallback = (
    servername: string,
    callback: (error: Error | null, context?: SecureContext) => void,
  ): void => {
    const context = this.select(servername);
    // A listener without a usable certificate refuses the handshake rather than presenting
    // another listener's certificate.
    if (context === undefined) callback(new Error(`no usable certificate for ${servername}`));
    else callback(null, context);
  };
}

function loadListener(
  listener: TableListener,
  provider: CertificateProvider | undefined,
  fallback: TlsCertificate | undefined,
):
  | { context: SecureContext; pair: TlsCertificate }
  | { error: CertificateNotFoundError | InvalidCertificateError } {
  const name = `HTTPS listener ${listener.name} (port ${listener.port})`;
  const refs = listener.certificateRefs.map((r) => `${r.namespace}/${r.name}`).join(', ') || 'none';
  let found: (TlsCertificate | undefined)[];
  try {
    found = listener.certificateRefs.map((ref) => provider?.(ref));
  } catch (error) {
    // A provider reading files may throw (ENOENT, EACCES).
    return {
      error: new InvalidCertificateError(
        `${name}: cannot read its certificate (references: ${refs}): ${messageOf(error)}`,
      ),
    };
  }
  const pairs = found.filter((pair): pair is TlsCertificate => pair !== undefined);
  // Decision 23: with several references, one missing is enough to leave the listener out.
  const missing = listener.certificateRefs.filter((_, i) => found[i] === undefined);
  if (pairs.length > 0 && missing.length > 0) {
    const names = missing.map((r) => `${r.namespace}/${r.name}`).join(', ');
    return {
      error: new CertificateNotFoundError(
        `${name}: no certificate for ${names} (references: ${refs})`,
      ),
    };
  }
  if (pairs.length === 0 && fallback !== undefined) pairs.push(fallback);
  if (pairs.length === 0) {
    return {
      error: new CertificateNotFoundError(`${name} has no certificate (references: ${refs})`),
    };
  }
  try {
    const context = createSecureContext({
      cert: pairs.map((pair) => pair.cert),
      key: pairs.map((pair) => pair.key),
    });
    return { context, pair: pairs[0]! };
  } catch (error) {
    return {
      error: new InvalidCertificateError(
        `${name}: its certificate cannot be used (references: ${refs}): ${messageOf(error)}; check that tls.crt is a PEM certificate chain and tls.key the matching unencrypted PEM private key`,
      ),
    };
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
