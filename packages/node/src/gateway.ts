/**
 * `createGateway`: a whole gateway process. One server per listener port of the table (HTTP, or
 * HTTPS with certificates from Secrets or files, HTTP/2 negotiated by ALPN), kept in step with the
 * source: a table swap that adds, removes or re-certifies listeners opens, drains or reloads the
 * servers. Graceful shutdown stops accepting, lets in-flight requests finish within a deadline,
 * then closes what is left. An optional admin port serves health, readiness and metrics.
 */
import type { Server as HttpServer, ServerResponse } from 'node:http';
import type { RouteSource, RouteTable, TableListener } from '@switchyard/core';
import { createAdminServer } from './admin.js';
import { createRequestListener, toSource } from './listener.js';
import { defaultLogger } from './logging.js';
import type { Logger } from './logging.js';
import { createMetrics } from './metrics.js';
import type { ProxyMetrics } from './metrics.js';
import { createProxy } from './proxy.js';
import type { ProxyEngine, ProxyOptions } from './proxy.js';
import { isHttp2 } from './respond.js';
import { clampDelay } from './timers.js';
import { PortServer, listen } from './server.js';
import type { Handler, ServerTuning, Upgrader } from './server.js';
import type { CertificateProvider, TlsCertificate } from './tls.js';

export { handleClientError } from './server.js';

export interface GatewayOptions extends Omit<ProxyOptions, 'logger' | 'metrics'> {
  /** A route table compiled once, or a source whose tables replace each other over time. */
  readonly source: RouteSource | RouteTable;
  /** Share an engine; default: one created from the options (and closed with the gateway). */
  readonly proxy?: ProxyEngine;
  /** Bind address; default: every interface. */
  readonly host?: string;
  /**
   * The port to bind for a listener port, for local runs (80 and 443 need privileges): a map
   * (`{ 80: 8080, 443: 8443 }`; unlisted ports bind as themselves) or a function (`() => 0` binds
   * every listener to a free port; see `addressFor`).
   */
  readonly ports?: Readonly<Record<number, number>> | ((listenerPort: number) => number);
  /** Certificates for the HTTPS listeners' `certificateRefs`. */
  readonly certificates?: CertificateProvider;
  /** Used when a listener's references resolve to nothing. */
  readonly defaultCertificate?: TlsCertificate;
  /**
   * HTTP/2: over TLS by ALPN (default on, HTTP/1.1 clients still served) and cleartext with prior
   * knowledge next to HTTP/1.1 (default off).
   */
  readonly http2?: { readonly tls?: boolean; readonly cleartext?: boolean };
  /**
   * Admin endpoints (`/healthz`, `/readyz`, `/metrics`) on their own port, bound to `host`
   * (default `127.0.0.1`: metrics name every route and backend, so they are not published on
   * every interface unless asked for; in a Pod, give the Pod's address or `0.0.0.0` for probes).
   */
  readonly admin?: { readonly port: number; readonly host?: string } | false;
  /** How long `close()` waits for in-flight requests by default; default 10000 ms. */
  readonly shutdownGraceMs?: number;
  /** Node server settings for the traffic ports. */
  readonly server?: ServerTuning;
  /** Access logs; default `defaultLogger()` (JSON, info); `false` for none. */
  readonly logger?: Logger | false;
  /** Metrics; default `createMetrics({ processMetrics: true })`; `false` for none. */
  readonly metrics?: ProxyMetrics | false;
}

/** Where one listener port is served. */
export interface GatewayAddress {
  readonly listenerPort: number;
  readonly protocol: 'HTTP' | 'HTTPS';
  readonly host: string;
  readonly port: number;
}

export interface Gateway {
  readonly proxy: ProxyEngine;
  readonly metrics: ProxyMetrics | undefined;
  /** Listening, and not shutting down. */
  readonly ready: boolean;
  /** Every listener port being served. */
  addresses(): GatewayAddress[];
  /** Where the listener with this port is served; undefined when there is none. */
  addressFor(listenerPort: number): { host: string; port: number } | undefined;
  /** The admin server's address, when enabled. */
  readonly adminAddress: { host: string; port: number } | undefined;
  /** Resolves when the servers match the latest table (after a swap). */
  settled(): Promise<void>;
  /**
   * Graceful shutdown: stop accepting, answer in-flight requests (keep-alive connections are
   * closed after their current response, HTTP/2 sessions get GOAWAY), and after `graceMs` close
   * whatever is left, WebSocket tunnels included.
   */
  close(options?: { readonly graceMs?: number }): Promise<void>;
}

class GatewayImpl implements Gateway {
  readonly proxy: ProxyEngine;
  readonly metrics: ProxyMetrics | undefined;
  adminAddress: { host: string; port: number } | undefined;
  private readonly source: RouteSource;
  private readonly ownsProxy: boolean;
  private readonly logger: Logger | undefined;
  private readonly servers = new Map<number, PortServer>();
  private readonly admin: HttpServer | undefined;
  private unsubscribe: (() => void) | undefined;
  private pending: Promise<void> = Promise.resolve();
  private started = false;
  private draining = false;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: GatewayOptions) {
    this.source = toSource(options.source);
    this.logger = options.logger === false ? undefined : (options.logger ?? defaultLogger());
    this.metrics =
      options.metrics === false
        ? undefined
        : (options.metrics ?? createMetrics({ processMetrics: true }));
    this.ownsProxy = options.proxy === undefined;
    this.proxy =
      options.proxy ??
      createProxy({ ...options, logger: this.logger ?? false, metrics: this.metrics ?? false });
    if (options.admin) {
      this.admin = createAdminServer({
        ready: () => this.ready,
        ...(this.metrics === undefined ? {} : { registry: this.metrics.registry }),
      });
    }
  }

  get ready(): boolean {
    return this.started && !this.draining;
  }

  async start(): Promise<void> {
    try {
      await this.reconcile(this.source.current(), true);
      this.unsubscribe = this.source.subscribe((table) => {
        this.metrics?.tableSwap();
        this.pending = this.pending.then(() =>
          this.reconcile(table, false).catch((error: unknown) => {
            this.logger?.error({ err: error }, 'could not apply the new listeners');
          }),
        );
      });
      if (this.admin !== undefined && this.options.admin) {
        const admin = this.options.admin;
        const address = await listen(this.admin, admin.port, admin.host ?? '127.0.0.1');
        this.adminAddress = { host: address.address, port: address.port };
        this.proxy.ownAddresses.add(address);
      }
      this.started = true;
      this.logger?.info({ listeners: this.addresses() }, 'gateway listening');
    } catch (error) {
      await this.close({ graceMs: 0 });
      throw error;
    }
  }

  private bindPort(listenerPort: number): number {
    const ports = this.options.ports;
    if (ports === undefined) return listenerPort;
    if (typeof ports === 'function') return ports(listenerPort);
    return Object.hasOwn(ports, listenerPort) ? ports[listenerPort]! : listenerPort;
  }

  private handlerFor(
    listenerPort: number,
    scheme: 'http' | 'https',
  ): { handler: Handler; upgrade: Upgrader } {
    const listener = createRequestListener({
      source: this.source,
      proxy: this.proxy,
      port: listenerPort,
      scheme,
    });
    const handler: Handler = (req, res) => {
      // While draining, every HTTP/1.1 answer closes its connection.
      if (this.draining && !isHttp2(res)) (res as ServerResponse).shouldKeepAlive = false;
      listener(req, res);
    };
    return { handler, upgrade: listener.upgrade };
  }

  /** Opens, drains and re-certifies servers so that they match `table`'s listeners. */
  private async reconcile(table: RouteTable, initial: boolean): Promise<void> {
    if (this.draining) return;
    const wanted = new Map<number, TableListener[]>();
    for (const listener of table.listeners) {
      const group = wanted.get(listener.port);
      if (group === undefined) wanted.set(listener.port, [listener]);
      else if (group[0]!.protocol === listener.protocol) group.push(listener);
    }
    for (const [port, server] of this.servers) {
      const group = wanted.get(port);
      if (group === undefined || group[0]!.protocol !== server.protocol) {
        this.servers.delete(port);
        if (server.address !== undefined) this.proxy.ownAddresses.delete(server.address);
        void server.drain();
      }
    }
    for (const [port, group] of wanted) {
      const protocol = group[0]!.protocol;
      let server = this.servers.get(port);
      const fresh = server === undefined;
      if (server === undefined) {
        const { handler, upgrade } = this.handlerFor(port, protocol === 'HTTPS' ? 'https' : 'http');
        server = new PortServer(port, protocol, handler, upgrade, this.options);
      }
      if (server.selector !== undefined) {
        try {
          const failures = server.selector.load(
            group,
            this.options.certificates,
            this.options.defaultCertificate,
          );
          // One listener's certificate never keeps the others on its port from serving.
          for (const failure of failures) {
            this.logger?.error(
              { err: failure.error, listener: failure.listener, port: failure.port },
              'HTTPS listener not served: its certificate cannot be loaded',
            );
          }
        } catch (error) {
          if (initial || fresh) throw error;
          this.logger?.error({ err: error }, 'keeping the previous certificates');
          continue;
        }
        if (!fresh) server.refreshDefaultContext();
      }
      if (fresh) {
        if (server.selector?.fallback !== undefined) server.refreshDefaultContext();
        await server.listen(this.options.host, this.bindPort(port));
        this.proxy.ownAddresses.add(server.address!);
        this.servers.set(port, server);
      }
    }
  }

  settled(): Promise<void> {
    return this.pending;
  }

  addresses(): GatewayAddress[] {
    return [...this.servers.values()]
      .filter((server) => server.address !== undefined)
      .map((server) => ({
        listenerPort: server.listenerPort,
        protocol: server.protocol,
        host: server.address!.address,
        port: server.address!.port,
      }));
  }

  addressFor(listenerPort: number): { host: string; port: number } | undefined {
    const address = this.servers.get(listenerPort)?.address;
    if (address === undefined) return undefined;
    const host =
      address.address === '::' || address.address === '0.0.0.0' ? '127.0.0.1' : address.address;
    return { host, port: address.port };
  }

  close(options: { readonly graceMs?: number } = {}): Promise<void> {
    this.closing ??= this.shutdown(options.graceMs ?? this.options.shutdownGraceMs ?? 10_000);
    return this.closing;
  }

  private async shutdown(graceMs: number): Promise<void> {
    this.draining = true;
    this.unsubscribe?.();
    const servers = [...this.servers.values()];
    this.servers.clear();
    const drained = Promise.all([...servers.map((server) => server.drain()), this.proxy.idle()]);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, clampDelay(graceMs));
    });
    await Promise.race([drained, deadline]);
    clearTimeout(timer);
    for (const server of servers) {
      server.destroy();
      // Only now: while draining, a request must still not be sent back to this gateway.
      if (server.address !== undefined) this.proxy.ownAddresses.delete(server.address);
    }
    if (this.ownsProxy) await this.proxy.close({ force: true });
    if (this.admin !== undefined && this.admin.listening) {
      this.admin.closeAllConnections();
      await new Promise<void>((resolve) => this.admin!.close(() => resolve()));
      const admin = this.adminAddress;
      if (admin !== undefined) this.proxy.ownAddresses.delete({ address: admin.host, ...admin });
    }
    this.logger?.info('gateway closed');
  }
}

/**
 * Starts a gateway serving every listener of the source's table; resolves once all are listening.
 *
 * @example
 * ```ts
 * import { compile } from '@switchyard/core';
 * import { certificatesFromSecrets, createGateway, staticResolver } from '@switchyard/node';
 *
 * const { table } = compile(objects);
 * const gateway = await createGateway({
 *   source: table,
 *   ports: { 80: 8080, 443: 8443 },
 *   certificates: certificatesFromSecrets(objects),
 *   resolver: staticResolver({ 'payments/payments-bff:8080': 'http://127.0.0.1:9003' }),
 *   admin: { port: 9901 },
 * });
 * process.on('SIGTERM', () => void gateway.close({ graceMs: 15_000 }));
 * ```
 */
export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const gateway = new GatewayImpl(options);
  await gateway.start();
  return gateway;
}
