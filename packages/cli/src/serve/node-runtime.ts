/**
 * The gateway runtime of `serve`: `@switchyard/node`'s `createGateway`, which opens one server per
 * listener port of the table and keeps them in step with the source (a reload that adds, removes
 * or re-certifies a listener opens, drains or reloads its server). `@switchyard/node` is imported
 * when `serve` starts, so `check`, `explain`, `routes` and `graph` never load the proxy.
 */
import { CliError, EXIT } from '../errors.js';
import type { OpenListener, StartGateway } from './runtime.js';

export const startNodeGateway: StartGateway = async (options) => {
  const node = await import('@switchyard/node');
  const localPorts = new Map(options.listeners.map((l) => [l.port, l.localPort]));
  let gateway;
  try {
    gateway = await node.createGateway({
      source: options.source,
      host: options.host,
      // Listener ports given a local port bind there; others (and listeners added by a reload) bind as themselves.
      ports: (listenerPort) => localPorts.get(listenerPort) ?? listenerPort,
      resolver: node.chainResolvers(
        node.staticResolver(options.backends),
        ...(options.resolver === undefined ? [] : [{ resolve: options.resolver }]),
        node.defaultResolver(),
      ),
      // HTTPS listeners take their certificates from the Secrets among the objects, as read now.
      certificates: (ref) =>
        node.certificatesFromSecrets(options.certificateObjects?.() ?? [])(ref),
      logger: options.logger,
      admin:
        options.adminPort === undefined ? false : { port: options.adminPort, host: options.host },
      shutdownGraceMs: 2_000,
      ...options.proxy,
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = error instanceof Error ? error.message : String(error);
    throw new CliError(
      code === 'EADDRINUSE'
        ? `cannot listen: ${message} (choose another port with --port LISTENER_PORT=LOCAL_PORT)`
        : error instanceof node.InvalidOptionError
          ? message
          : `cannot start the gateway: ${message}`,
      EXIT.runtime,
    );
  }
  const started = gateway;
  const names = new Map(options.listeners.map((l) => [l.port, l.name]));
  const listeners = (): OpenListener[] =>
    started
      .addresses()
      .sort((a, b) => a.listenerPort - b.listenerPort)
      .map((address) => {
        const at = started.addressFor(address.listenerPort) ?? address;
        const scheme = address.protocol === 'HTTPS' ? 'https' : 'http';
        return {
          name: names.get(address.listenerPort) ?? String(address.listenerPort),
          port: address.listenerPort,
          url: `${scheme}://${urlHost(at.host)}:${at.port}`,
        };
      });
  const admin = started.adminAddress;
  return {
    listeners: listeners(),
    ...(admin === undefined
      ? {}
      : {
          admin: {
            url: `http://${urlHost(admin.host)}:${admin.port}`,
            paths: ['/healthz', '/readyz', '/metrics'],
          },
        }),
    current: listeners,
    settled: () => started.settled(),
    close: () => started.close(),
  };
};

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
