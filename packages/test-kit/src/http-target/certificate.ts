/**
 * A self-signed certificate built with `node:crypto` alone: an EC P-256 key and a minimal X.509
 * v3 certificate (DER written by hand: Node signs but has no certificate builder). Good for TLS
 * listeners in tests, where clients do not verify the chain; no CLI, no dependency.
 */
import { X509Certificate, generateKeyPairSync, randomBytes, sign } from 'node:crypto';

export interface TlsMaterial {
  /** PEM certificate. */
  readonly cert: string;
  /** PEM PKCS#8 private key. */
  readonly key: string;
}

function length(size: number): Buffer {
  if (size < 0x80) return Buffer.from([size]);
  const bytes: number[] = [];
  for (let rest = size; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
}

const sequence = (...items: Buffer[]): Buffer => tlv(0x30, ...items);

function integer(bytes: Buffer): Buffer {
  return tlv(0x02, bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}

function oid(text: string): Buffer {
  const parts = text.split('.').map(Number);
  const bytes = [40 * parts[0]! + parts[1]!];
  for (const part of parts.slice(2)) {
    const chunk: number[] = [];
    for (let rest = part; ; rest = Math.floor(rest / 128)) {
      chunk.unshift((rest % 128) | (chunk.length > 0 ? 0x80 : 0));
      if (rest < 128) break;
    }
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

function utcTime(date: Date): Buffer {
  const iso = date.toISOString(); // 2026-01-02T03:04:05.678Z
  const text = `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return tlv(0x17, Buffer.from(text, 'ascii'));
}

function name(commonName: string): Buffer {
  return sequence(tlv(0x31, sequence(oid('2.5.4.3'), tlv(0x0c, Buffer.from(commonName, 'utf8')))));
}

function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/**
 * Generates a key and a self-signed certificate for `hostnames` (the first is the common name;
 * all are subject alternative names), valid from an hour ago for `days` days.
 *
 * @example const { cert, key } = selfSignedCertificate(['example.org', '*.example.org']);
 */
export function selfSignedCertificate(
  hostnames: readonly string[] = ['localhost'],
  days = 30,
): TlsMaterial {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const algorithm = sequence(oid('1.2.840.10045.4.3.2')); // ecdsa-with-SHA256
  const now = Date.now();
  const san = sequence(...hostnames.map((host) => tlv(0x82, Buffer.from(host, 'ascii'))));
  const extensions = tlv(0xa3, sequence(sequence(oid('2.5.29.17'), tlv(0x04, san))));
  // A positive serial whose first byte is neither 0 nor >= 0x80: DER integers must be minimal
  // (a leading 0x00 before a byte below 0x80 is "illegal padding" to OpenSSL).
  const serial = randomBytes(16);
  serial[0] = 0x40 | (serial[0]! & 0x3f);
  const tbs = sequence(
    tlv(0xa0, integer(Buffer.from([2]))),
    integer(serial),
    algorithm,
    name(hostnames[0] ?? 'localhost'),
    sequence(utcTime(new Date(now - 3_600_000)), utcTime(new Date(now + days * 86_400_000))),
    name(hostnames[0] ?? 'localhost'),
    publicKey.export({ type: 'spki', format: 'der' }),
    extensions,
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = sequence(tbs, algorithm, tlv(0x03, Buffer.from([0]), signature));
  const cert = pem('CERTIFICATE', der);
  // Parse it back: a malformed encoding fails here, not in a TLS handshake.
  new X509Certificate(cert);
  return { cert, key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}
