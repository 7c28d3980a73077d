/**
 * The world every attack runs against: a gateway (`createGateway`, real sockets) with routes
 * `/echo` and `/ws` to the `echo` backend on any host, `/` to the `admin` backend on
 * `admin.example.com` only, tight limits so that limits can be tested, and a second server whose
 * decisions carry response header modifiers that try to forge framing (the runtime guard must
 * hold whatever table it is given). Cases are data; `attack` runs one and checks the answers in
 * order, their `x-switchyard-error` codes, and what each backend received.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from '@switchyard/core';
import type { HeaderModifier } from '@switchyard/core';
import {
  onlyRequest,
  rawGet,
  runAttack,
  selfSignedCertificate,
  startRawBackend,
} from '@switchyard/test-kit';
import type {
  AttackCase as KitAttackCase,
  AttackWorld,
  RawBackend,
  RawOutcome,
} from '@switchyard/test-kit';
import {
  certificatesFromSecrets,
  createProxy,
  guardServer,
  staticResolver,
  toResolveRequest,
} from '../../../src/index.js';
import type { ProxyEngine } from '../../../src/index.js';
import { objectsFor, startGateway, tableFor, NS } from '../../support/fixtures.js';
import type { RunningGateway } from '../../support/fixtures.js';

export const PSEUDONYM = 'sy-attack';
export const MAX_TARGET = 2048;
export const MAX_HEADER = 8192;
export const HEADERS_TIMEOUT_MS = 400;

/** A response header modifier that tries everything decision 19 forbids, plus one allowed set. */
export const FORGING: HeaderModifier = {
  set: [
    { name: 'content-length', value: '0' },
    { name: 'transfer-encoding', value: 'chunked' },
    { name: 'x-switchyard-error', value: 'SWY_FORGED' },
    { name: 'x-split', value: 'a\r\nx-injected: yes' },
    { name: 'connection', value: 'close' },
    { name: 'x-allowed', value: 'yes' },
  ],
  add: [{ name: 'Content-Length', value: '7' }],
  remove: ['x-backend-gone'],
};

export interface World extends AttackWorld {
  readonly echo: RawBackend;
  readonly admin: RawBackend;
  readonly gatewayPort: number;
  /** The HTTPS listener (port 443 of the Gateway; certificate for *.example.com). */
  readonly tlsPort: number;
  readonly forgingPort: number;
  clear(): void;
  close(): Promise<void>;
}

function adminRoute(): unknown {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { namespace: NS, name: 'admin' },
    spec: {
      parentRefs: [{ name: 'gw' }],
      hostnames: ['admin.example.com'],
      rules: [{ backendRefs: [{ name: 'admin', port: 8080 }] }],
    },
  };
}

const material = selfSignedCertificate(['*.example.com', 'api.example.com']);
const secret = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { namespace: NS, name: 'tls' },
  type: 'kubernetes.io/tls',
  data: {
    'tls.crt': Buffer.from(material.cert).toString('base64'),
    'tls.key': Buffer.from(material.key).toString('base64'),
  },
};

/** `cleartextHttp2`: serve h2c with prior knowledge next to HTTP/1.1 on the HTTP port. */
export async function startWorld(options: { cleartextHttp2?: boolean } = {}): Promise<World> {
  const echo = await startRawBackend('echo');
  const admin = await startRawBackend('admin');
  const table = tableFor(
    objectsFor(
      [
        { path: '/echo', service: 'echo' },
        { path: '/ws', service: 'echo' },
      ],
      {
        services: ['echo', 'admin'],
        listeners: [
          { name: 'http', port: 80, protocol: 'HTTP' },
          {
            name: 'https',
            port: 443,
            protocol: 'HTTPS',
            tls: { certificateRefs: [{ name: 'tls' }] },
          },
        ],
        extraObjects: [adminRoute(), secret],
      },
    ),
  );
  const resolver = staticResolver({
    [`${NS}/echo:8080`]: echo.origin,
    [`${NS}/admin:8080`]: admin.origin,
  });
  const gw: RunningGateway = await startGateway({
    source: table,
    certificates: certificatesFromSecrets([secret]),
    ...(options.cleartextHttp2 === true ? { http2: { cleartext: true } } : {}),
    resolver,
    via: PSEUDONYM,
    maxRequestTargetLength: MAX_TARGET,
    server: {
      maxHeaderSize: MAX_HEADER,
      headersTimeoutMs: HEADERS_TIMEOUT_MS,
      requestTimeoutMs: 5000,
      connectionsCheckingIntervalMs: 100,
    },
  });
  const proxy: ProxyEngine = createProxy({ resolver, via: PSEUDONYM });
  const forging: Server = guardServer(
    createServer((req, res) => {
      const decision = resolve(table, toResolveRequest(req, { port: 80 }));
      proxy.handle(
        req,
        res,
        decision.kind === 'forward' ? { ...decision, responseHeaders: FORGING } : decision,
      );
    }),
  );
  forging.listen(0, '127.0.0.1');
  await once(forging, 'listening');
  return {
    echo,
    admin,
    backends: [echo, admin],
    gatewayPort: Number(new URL(gw.url()).port),
    tlsPort: gw.gateway.addressFor(443)!.port,
    forgingPort: (forging.address() as AddressInfo).port,
    clear: () => {
      echo.clear();
      admin.clear();
    },
    close: async () => {
      forging.closeAllConnections();
      await new Promise<void>((done) => forging.close(() => done()));
      await proxy.close({ force: true });
      await gw.close();
      await Promise.all([echo.close(), admin.close()]);
    },
  };
}

/** One attack against this world. */
export type AttackCase = KitAttackCase<World>;

/** Runs one case against `world` and asserts answers, codes and backend receipts. */
export function attack(world: World, c: AttackCase): Promise<RawOutcome> {
  const port =
    c.forging === true ? world.forgingPort : c.tls === true ? world.tlsPort : world.gatewayPort;
  return runAttack(world, c, port, c.tls === true ? { tls: 'api.example.com' } : {});
}

export { rawGet as get, onlyRequest as only };
