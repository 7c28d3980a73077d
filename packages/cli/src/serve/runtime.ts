/**
 * What `serve` needs from a gateway runtime, kept small so the command does not depend on how
 * the listeners are run: give it a route source, a backend map, where to listen and a logger;
 * get back the addresses it listens on and a way to stop.
 */
import type { DecisionBackend, RouteSource } from '@switchyard/core';
import type { Logger } from 'pino';
import type { BackendMap } from './backend-map.js';

export interface ListenerPlan {
  /** The Gateway listener's name and port (what routes attach to and requests resolve against). */
  readonly name: string;
  readonly port: number;
  readonly protocol: 'HTTP' | 'HTTPS';
  /** The local port to bind; 0 = any free port. */
  readonly localPort: number;
}

/** What a backend lookup is given: the reference and how to speak to it. */
export type BackendTarget = Pick<
  DecisionBackend,
  'group' | 'kind' | 'namespace' | 'name' | 'port' | 'address' | 'appProtocol'
>;

/** Where a backend is: origins to dial, 503 when nowhere, undefined to ask the next lookup. */
export type BackendLookup = (
  backend: BackendTarget,
) =>
  | { readonly origins: readonly string[] }
  | { readonly status: 503; readonly reason: string }
  | undefined;

export interface GatewayRuntimeOptions {
  readonly source: RouteSource;
  /** Listeners to open, from the table at start. */
  readonly listeners: readonly ListenerPlan[];
  /** Address to bind, e.g. `127.0.0.1`. */
  readonly host: string;
  /**
   * `ns/name:port` → origin; backends not in it are resolved the default way (cluster DNS, static
   * Backends). A live map: a reload of the backend map file changes it in place.
   */
  readonly backends: BackendMap | ReadonlyMap<string, string>;
  /** Admin endpoints (health, metrics) on this port; undefined = none. */
  readonly adminPort?: number;
  readonly logger: Logger;
  /** Consulted after the backend map, before the defaults (the Kubernetes source's endpoints). */
  readonly resolver?: BackendLookup;
  /** The objects whose `kubernetes.io/tls` Secrets certify HTTPS listeners, read when listeners (re)load. */
  readonly certificateObjects?: () => readonly unknown[];
  /** Request intake and forwarding options of `@switchyard/node`, as given on the command line. */
  readonly proxy?: ProxyFlags;
}

/** `--trusted-proxies` / `--trusted-hops`, `--via`, `--upgrades`. */
export interface ProxyFlags {
  readonly trustedProxies?: { readonly addresses: readonly string[] } | { readonly hops: number };
  readonly via?: string;
  readonly upgrades?: readonly string[];
}

export interface OpenListener {
  readonly name: string;
  /** The Gateway listener port. */
  readonly port: number;
  /** Where it is served locally, `http://127.0.0.1:8080`. */
  readonly url: string;
}

export interface RunningGateway {
  /** The listeners open at start. */
  readonly listeners: readonly OpenListener[];
  /** The listeners open now (a reload may add or remove some). */
  current(): readonly OpenListener[];
  /** Resolves when the open listeners match the latest table. */
  settled(): Promise<void>;
  /** Admin base URL when an admin port was asked for. */
  readonly admin?: { readonly url: string; readonly paths: readonly string[] };
  close(): Promise<void>;
}

export type StartGateway = (options: GatewayRuntimeOptions) => Promise<RunningGateway>;
