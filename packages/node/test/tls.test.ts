// HTTPS listeners with self-generated certificates: the certificate chosen by SNI among listeners
// sharing a port (from Secrets and from files), HTTP/1.1 and HTTP/2 by ALPN, the listener port and
// scheme handed to the core, and a missing certificate refused at startup.
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:http2';
import { request } from 'node:https';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '@switchyard/core';
import type { RouteTable } from '@switchyard/core';
import { pino } from 'pino';
import { selfSignedCertificate, startEchoBackend } from '@switchyard/test-kit';
import type { EchoBackend, EchoRecord } from '@switchyard/test-kit';
import {
  CertificateNotFoundError,
  InvalidCertificateError,
  certificatesFromFiles,
  certificatesFromSecrets,
  createGateway,
  staticResolver,
} from '../src/index.js';
import { objectsFor, startGateway, tableFor } from './support/fixtures.js';
import type { RunningGateway } from './support/fixtures.js';

function secretOf(name: string, material: { cert: string; key: string }): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { namespace: 'infra', name },
    type: 'kubernetes.io/tls',
    data: {
      'tls.crt': Buffer.from(material.cert).toString('base64'),
      'tls.key': Buffer.from(material.key).toString('base64'),
    },
  };
}

const emptySecret = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { namespace: 'infra', name: 'first-tls' },
  type: 'kubernetes.io/tls',
};
const first = selfSignedCertificate(['first.example']);
const second = selfSignedCertificate(['second.example']);
const listeners = [
  {
    name: 'first',
    port: 443,
    protocol: 'HTTPS',
    hostname: 'first.example',
    tls: { certificateRefs: [{ name: 'first-tls' }] },
  },
  {
    name: 'second',
    port: 443,
    protocol: 'HTTPS',
    hostname: 'second.example',
    tls: { certificateRefs: [{ name: 'second-tls' }] },
  },
];

function httpsGet(
  port: number,
  servername: string,
): Promise<{ status: number; peer: PeerCertificate; body: EchoRecord }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/app',
        servername,
        headers: { host: servername },
        rejectUnauthorized: false,
        agent: false,
      },
      (res) => {
        const peer = (res.socket as TLSSocket).getPeerCertificate();
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            peer,
            body: JSON.parse(Buffer.concat(chunks).toString()) as EchoRecord,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('TLS listeners', () => {
  let echo: EchoBackend;
  let gw: RunningGateway;
  const objects = objectsFor([{ path: '/app', service: 'app' }], {
    listeners,
    extraObjects: [secretOf('first-tls', first), secretOf('second-tls', second)],
  });

  beforeAll(async () => {
    echo = await startEchoBackend({
      identity: { group: '', kind: 'Service', namespace: 'infra', name: 'app', port: 8080 },
    });
    gw = await startGateway({
      source: tableFor(objects),
      certificates: certificatesFromSecrets(objects),
      resolver: staticResolver({ 'infra/app:8080': echo.origin }),
    });
  });

  afterAll(async () => {
    await gw.close();
    await echo.close();
  });

  it('presents the certificate of the listener the server name selects', async () => {
    const port = gw.gateway.addressFor(443)!.port;
    const a = await httpsGet(port, 'first.example');
    const b = await httpsGet(port, 'second.example');
    expect(a.peer.subject.CN).toBe('first.example');
    expect(b.peer.subject.CN).toBe('second.example');
    expect(a.status).toBe(200);
    expect(a.body.headers['x-forwarded-proto']).toEqual(['https']);
    expect(a.body.host).toBe('first.example');
  });

  it('speaks HTTP/2 when the client offers h2', async () => {
    const port = gw.gateway.addressFor(443)!.port;
    const session = connect(`https://127.0.0.1:${port}`, {
      servername: 'first.example',
      rejectUnauthorized: false,
    });
    const stream = session.request({ ':path': '/app/h2', ':authority': 'first.example' });
    let status = 0;
    stream.on('response', (headers) => (status = Number(headers[':status'])));
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    await new Promise((resolve) => stream.on('end', resolve));
    session.close();
    const body = JSON.parse(Buffer.concat(chunks).toString()) as EchoRecord;
    expect(status).toBe(200);
    expect(body.path).toBe('/app/h2');
    expect(body.host).toBe('first.example');
  });

  it('answers 421 when the Host belongs to another listener than the server name', async () => {
    const port = gw.gateway.addressFor(443)!.port;
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/app',
          servername: 'first.example',
          headers: { host: 'second.example' },
          rejectUnauthorized: false,
          agent: false,
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(421);
  });

  it('reads certificates from files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-tls-'));
    writeFileSync(join(dir, 'tls.crt'), first.cert);
    writeFileSync(join(dir, 'tls.key'), first.key);
    // The Secret must exist for the listener to be accepted; its content comes from the files.
    const single = objectsFor([{ path: '/app', service: 'app' }], {
      listeners: [listeners[0]!],
      extraObjects: [emptySecret],
    });
    const filesGateway = await startGateway({
      source: compile(single, { checkCertificateData: false }).table,
      certificates: certificatesFromFiles({
        'infra/first-tls': { certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key') },
      }),
      resolver: staticResolver({ 'infra/app:8080': echo.origin }),
    });
    try {
      const answer = await httpsGet(filesGateway.gateway.addressFor(443)!.port, 'first.example');
      expect(answer.peer.subject.CN).toBe('first.example');
      expect(answer.status).toBe(200);
    } finally {
      await filesGateway.close();
    }
  });

  it('generates test certificates that always parse (DER integers stay minimal)', () => {
    // One in ~300 random serials used to start with a padding byte OpenSSL rejects.
    for (let i = 0; i < 500; i++) {
      const { cert } = selfSignedCertificate([`n${i}.example`]);
      expect(new X509Certificate(cert).subject).toBe(`CN=n${i}.example`);
    }
  });

  it('refuses to start an HTTPS listener without a certificate', async () => {
    const single = objectsFor([{ path: '/app', service: 'app' }], {
      listeners: [listeners[0]!],
      extraObjects: [emptySecret],
    });
    await expect(
      createGateway({
        source: compile(single, { checkCertificateData: false }).table,
        host: '127.0.0.1',
        ports: () => 0,
        logger: false,
        metrics: false,
      }),
    ).rejects.toBeInstanceOf(CertificateNotFoundError);
  });

  it('decision 23 in the data plane: a listener whose key does not match its certificate is refused; the other listener on the port serves', async () => {
    // PEM of the right shape (the core accepts it), but the key belongs to another certificate:
    // only createSecureContext can tell.
    const mismatched = { cert: first.cert, key: second.key };
    const mixed = objectsFor([{ path: '/app', service: 'app' }], {
      listeners,
      extraObjects: [secretOf('first-tls', mismatched), secretOf('second-tls', second)],
    });
    const lines: string[] = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => void lines.push(line) });
    const running = await startGateway({
      source: tableFor(mixed),
      certificates: certificatesFromSecrets(mixed),
      resolver: staticResolver({ 'infra/app:8080': echo.origin }),
      logger,
    });
    try {
      const port = running.gateway.addressFor(443)!.port;
      const good = await httpsGet(port, 'second.example');
      expect(good.status).toBe(200);
      expect(good.peer.subject.CN).toBe('second.example');
      // The broken listener's name never gets another listener's certificate.
      await expect(httpsGet(port, 'first.example')).rejects.toThrow();
      const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(logged).toEqual([
        expect.objectContaining({
          listener: 'first',
          port: 443,
          err: expect.objectContaining({ code: 'SWY_CERTIFICATE_INVALID' }),
        }),
      ]);
    } finally {
      await running.close();
    }
  });

  it('refuses to start a port where no listener has a usable certificate', async () => {
    const single = objectsFor([{ path: '/app', service: 'app' }], {
      listeners: [listeners[0]!],
      extraObjects: [secretOf('first-tls', { cert: first.cert, key: second.key })],
    });
    await expect(
      createGateway({
        source: tableFor(single),
        certificates: certificatesFromSecrets(single),
        host: '127.0.0.1',
        ports: () => 0,
        logger: false,
        metrics: false,
      }),
    ).rejects.toBeInstanceOf(InvalidCertificateError);
  });

  it('a reload that breaks one certificate keeps that listener on its previous certificate; the other takes its new one', async () => {
    const third = selfSignedCertificate(['second.example']);
    const before = objectsFor([{ path: '/app', service: 'app' }], {
      listeners,
      extraObjects: [secretOf('first-tls', first), secretOf('second-tls', second)],
    });
    const after = objectsFor([{ path: '/app', service: 'app' }], {
      listeners,
      extraObjects: [
        secretOf('first-tls', { cert: first.cert, key: second.key }),
        secretOf('second-tls', third),
      ],
    });
    let objects = before;
    let table = tableFor(objects);
    const subscribers = new Set<(table: RouteTable) => void>();
    const source = {
      current: () => table,
      subscribe: (listener: (table: RouteTable) => void) => {
        subscribers.add(listener);
        return () => subscribers.delete(listener);
      },
    };
    const lines: string[] = [];
    const running = await startGateway({
      source,
      certificates: (ref) => certificatesFromSecrets(objects)(ref),
      resolver: staticResolver({ 'infra/app:8080': echo.origin }),
      logger: pino({ level: 'error' }, { write: (line: string) => void lines.push(line) }),
    });
    try {
      const port = running.gateway.addressFor(443)!.port;
      const serialOf = async (name: string) => (await httpsGet(port, name)).peer.serialNumber;
      const firstSerial = await serialOf('first.example');
      const secondSerial = await serialOf('second.example');

      objects = after;
      table = tableFor(objects);
      for (const listener of subscribers) listener(table);
      await running.gateway.settled();

      expect(await serialOf('first.example')).toBe(firstSerial);
      const renewed = await httpsGet(port, 'second.example');
      expect(renewed.status).toBe(200);
      expect(renewed.peer.serialNumber).not.toBe(secondSerial);
      expect(renewed.peer.serialNumber).toBe(new X509Certificate(third.cert).serialNumber);
      expect(lines.map((line) => (JSON.parse(line) as { listener?: string }).listener)).toEqual([
        'first',
      ]);
    } finally {
      await running.close();
    }
  });

  it('decision 23 in the data plane: one of several certificateRefs without a certificate leaves that listener out', async () => {
    const twoRefs = [
      {
        ...listeners[0]!,
        tls: { certificateRefs: [{ name: 'first-tls' }, { name: 'absent-tls' }] },
      },
      listeners[1]!,
    ];
    // The core checks only names here (checkCertificateData off): the provider decides.
    const world = objectsFor([{ path: '/app', service: 'app' }], {
      listeners: twoRefs,
      extraObjects: [
        secretOf('first-tls', first),
        secretOf('second-tls', second),
        { ...emptySecret, metadata: { namespace: 'infra', name: 'absent-tls' } },
      ],
    });
    const running = await startGateway({
      source: compile(world, { checkCertificateData: false }).table,
      certificates: certificatesFromSecrets(world),
      resolver: staticResolver({ 'infra/app:8080': echo.origin }),
    });
    try {
      const port = running.gateway.addressFor(443)!.port;
      expect((await httpsGet(port, 'second.example')).status).toBe(200);
      await expect(httpsGet(port, 'first.example')).rejects.toThrow();
    } finally {
      await running.close();
    }
  });
});
