// WebSocket through the proxy with the `ws` client: frames both ways over HTTP and over TLS, a
// backend that declines the upgrade, a request no route takes, and tunnels closed on shutdown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startEchoBackend, selfSignedCertificate } from '@switchyard/test-kit';
import type { EchoBackend } from '@switchyard/test-kit';
import { certificatesFromSecrets, staticResolver, swappableSource } from '../src/index.js';
import { objectsFor, startBackend, startGateway, tableFor } from './support/fixtures.js';
import type { Backend, RunningGateway } from './support/fixtures.js';

const { cert, key } = selfSignedCertificate(['ws.example']);
const secret = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { namespace: 'infra', name: 'ws-tls' },
  type: 'kubernetes.io/tls',
  data: {
    'tls.crt': Buffer.from(cert).toString('base64'),
    'tls.key': Buffer.from(key).toString('base64'),
  },
};

interface Session {
  readonly messages: [string, boolean][];
  readonly backend: string | undefined;
}

function roundTrip(url: string, options: WebSocket.ClientOptions = {}): Promise<Session> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options);
    let backend: string | undefined;
    const messages: [string, boolean][] = [];
    ws.on('upgrade', (res) => (backend = res.headers['x-echo-backend'] as string | undefined));
    ws.on('open', () => {
      ws.send('Websocket Support!');
      ws.send(Buffer.from([1, 2, 3, 4, 5, 6, 7]));
    });
    ws.on('message', (data, binary) => {
      messages.push([binary ? Buffer.from(data as Buffer).toString('hex') : String(data), binary]);
      if (messages.length === 2) {
        ws.close();
        resolve({ messages, backend });
      }
    });
    ws.on('unexpected-response', (_req, res) => reject(new Error(`status ${res.statusCode}`)));
    ws.on('error', reject);
  });
}

describe('WebSocket', () => {
  let echo: EchoBackend;
  let plain: Backend;
  let gw: RunningGateway;

  beforeAll(async () => {
    echo = await startEchoBackend({
      identity: { group: '', kind: 'Service', namespace: 'infra', name: 'ws', port: 8080 },
    });
    plain = await startBackend((_req, res) => {
      res.writeHead(403, { 'content-type': 'text/plain' });
      res.end('no websocket here');
    });
    const objects = objectsFor(
      [
        { path: '/ws', service: 'ws' },
        { path: '/plain', service: 'plain' },
      ],
      {
        listeners: [
          { name: 'http', port: 80, protocol: 'HTTP' },
          {
            name: 'https',
            port: 443,
            protocol: 'HTTPS',
            tls: { certificateRefs: [{ name: 'ws-tls' }] },
          },
        ],
        extraObjects: [secret],
      },
    );
    gw = await startGateway({
      source: swappableSource(tableFor(objects)),
      resolver: staticResolver({ 'infra/ws:8080': echo.origin, 'infra/plain:8080': plain.origin }),
      certificates: certificatesFromSecrets(objects),
    });
  });

  afterAll(async () => {
    await gw.close();
    await Promise.all([echo.close(), plain.close()]);
  });

  it('carries text and binary frames both ways', async () => {
    const session = await roundTrip(`${gw.url().replace('http', 'ws')}/ws/chat`);
    expect(session.backend).toBe('infra/ws:8080');
    expect(session.messages).toEqual([
      ['Websocket Support!', false],
      ['01020304050607', true],
    ]);
    const handshake = echo.records.find((record) => record.upgrade && record.path === '/ws/chat');
    expect(handshake?.headers['upgrade']).toEqual(['websocket']);
    expect(handshake?.headers['x-forwarded-for']).toEqual(['127.0.0.1']);
  });

  it('carries a session over TLS (HTTPS listener, HTTP/1.1 by ALPN)', async () => {
    const address = gw.gateway.addressFor(443)!;
    const session = await roundTrip(`wss://${address.host}:${address.port}/ws`, {
      rejectUnauthorized: false,
      servername: 'ws.example',
    } as WebSocket.ClientOptions);
    expect(session.messages).toHaveLength(2);
    const handshake = [...echo.records].reverse().find((record) => record.upgrade);
    expect(handshake?.headers['x-forwarded-proto']).toEqual(['https']);
  });

  it('relays the answer of a backend that declines the upgrade', async () => {
    await expect(roundTrip(`${gw.url().replace('http', 'ws')}/plain`)).rejects.toThrow(
      'status 403',
    );
  });

  it('answers 404 for an upgrade no route takes', async () => {
    await expect(roundTrip(`${gw.url().replace('http', 'ws')}/nowhere`)).rejects.toThrow(
      'status 404',
    );
  });

  it('closes open tunnels on shutdown', async () => {
    const ws = new WebSocket(`${gw.url().replace('http', 'ws')}/ws`);
    await new Promise((resolve, reject) => ws.on('open', resolve).on('error', reject));
    expect(gw.gateway.proxy.tunnels).toBe(1);
    const closed = new Promise((resolve) => ws.on('close', resolve));
    await gw.gateway.close({ graceMs: 100 });
    await closed;
    expect(gw.gateway.proxy.tunnels).toBe(0);
  });
});
