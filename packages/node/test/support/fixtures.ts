/**
 * Small worlds for the proxy's own tests: Kubernetes objects for one Gateway with one HTTPRoute,
 * raw backend servers whose misbehaviour a test scripts, and a running gateway in front of them.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { compile } from '@switchyard/core';
import type { RouteTable } from '@switchyard/core';
import { createGateway } from '../../src/index.js';
import type { Gateway, GatewayOptions } from '../../src/index.js';

export const NS = 'infra';

/** One rule: a path prefix to a Service (name, port 8080), plus anything else a rule may carry. */
export interface RuleSpec {
  readonly path: string;
  readonly service?: string;
  readonly extra?: Readonly<Record<string, unknown>>;
  readonly backendRefs?: readonly Readonly<Record<string, unknown>>[];
}

/** A Gateway `infra/gw` (HTTP on 80, plus optional listeners), Services and one HTTPRoute. */
export function objectsFor(
  rules: readonly RuleSpec[],
  options: {
    services?: readonly string[];
    listeners?: readonly Record<string, unknown>[];
    extraObjects?: readonly unknown[];
  } = {},
): unknown[] {
  const services = options.services ?? [
    ...new Set(rules.map((rule) => rule.service).filter((s): s is string => !!s)),
  ];
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { namespace: NS, name: 'gw' },
      spec: {
        gatewayClassName: 'switchyard',
        listeners: options.listeners ?? [{ name: 'http', port: 80, protocol: 'HTTP' }],
      },
    },
    ...services.map((name) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { namespace: NS, name },
      spec: { ports: [{ port: 8080 }] },
    })),
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { namespace: NS, name: 'route' },
      spec: {
        parentRefs: [{ name: 'gw' }],
        rules: rules.map((rule) => ({
          matches: [{ path: { type: 'PathPrefix', value: rule.path } }],
          backendRefs: rule.backendRefs ?? [{ name: rule.service, port: 8080 }],
          ...rule.extra,
        })),
      },
    },
    ...(options.extraObjects ?? []),
  ];
}

/** Compiles, failing loudly on diagnostics that would make the test meaningless. */
export function tableFor(objects: readonly unknown[]): RouteTable {
  return compile(objects).table;
}

export interface Backend {
  readonly origin: string;
  readonly server: Server;
  readonly port: number;
  close(): Promise<void>;
}

/** A plain HTTP server whose behaviour the test writes; every connection is destroyed on close. */
export async function startBackend(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<Backend> {
  const server = createServer(handler);
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    server,
    port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const backend = await startBackend(() => undefined);
  await backend.close();
  return backend.port;
}

export interface RunningGateway {
  readonly gateway: Gateway;
  /** `http://127.0.0.1:<port>` of listener port 80 (or `listenerPort`). */
  url(listenerPort?: number): string;
  close(): Promise<void>;
}

/** `createGateway` on free ports, quiet, with backends from `map` (`infra/<name>:8080` keys). */
export async function startGateway(
  options: Omit<GatewayOptions, 'source'> & { source: GatewayOptions['source'] },
): Promise<RunningGateway> {
  const gateway = await createGateway({
    host: '127.0.0.1',
    ports: () => 0,
    logger: false,
    metrics: false,
    ...options,
  });
  return {
    gateway,
    url: (listenerPort = 80) => {
      const address = gateway.addressFor(listenerPort);
      if (address === undefined) throw new Error(`no listener on ${listenerPort}`);
      return `http://${address.host}:${address.port}`;
    },
    close: () => gateway.close({ graceMs: 0 }),
  };
}
