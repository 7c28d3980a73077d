/**
 * `switchyard serve --kubernetes`: a controller's lifecycle, not a script's. The admin port comes
 * up first (so that probes get an answer and `/readyz` a reason); whatever stands between the
 * cluster and the Gateway is printed as it is found, with its fix, and retried with backoff; the
 * listeners open once the Gateway is ours and has a servable listener. On SIGTERM `/readyz` turns
 * unready, the gateway keeps serving for `--shutdown-delay`, then drains.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Finding, RouteTable } from '@switchyard/core';
import type {
  KubernetesSource,
  KubernetesSourceEvent,
  SourceProblem,
} from '@switchyard/kubernetes';
import type * as NodeAdapter from '@switchyard/node';
import type { Gateway } from '@switchyard/node';

type NodeModule = typeof NodeAdapter;
import { createCompileWorker } from '@switchyard/files';
import { pino, type Logger } from 'pino';
import { followOwnPorts, ownAddressesOf, serviceAddressesOf } from '../commands/addresses.js';
import { compileFlags, type CompileFlagOptions } from '../commands/inputs.js';
import { CliError, EXIT } from '../errors.js';
import type { CliIo } from '../io.js';
import { loadBackendMap } from './backend-map.js';
import { startDemoBackends, type DemoBackends } from './demo-backends.js';
import {
  parseKubernetesFlags,
  parsePortMappings,
  type KubernetesFlagOptions,
} from './kubernetes-flags.js';
import {
  findingLines,
  newFindings,
  newProblems,
  problemLines,
  specListeners,
} from './kubernetes-text.js';

export interface KubernetesServeOptions extends CompileFlagOptions, KubernetesFlagOptions {
  readonly port?: string[];
  readonly host: string;
  readonly adminPort?: string;
  readonly backend?: string[];
  readonly backends?: string;
  readonly demoBackends?: boolean;
  readonly logLevel: string;
  readonly debounce: string;
  /** File mode only; refused here. */
  readonly owners?: string;
  readonly controllerName: string;
  readonly tlsSecrets?: boolean;
}

/** How long `close()` lets requests in flight finish after the shutdown delay. */
const DRAIN_GRACE_MS = 10_000;

/** The longest `/readyz` reason. */
const MAX_REASON = 2000;

type Phase = 'starting' | 'serving' | 'draining';

export async function serveKubernetes(
  paths: readonly string[],
  options: KubernetesServeOptions,
  io: CliIo,
): Promise<void> {
  if (paths.length > 0) throw new CliError('serve --kubernetes reads the cluster: give no paths');
  if (options.owners !== undefined)
    throw new CliError('--owners is for file mode: in a cluster, RBAC says who may write what');
  const flags = compileFlags(options);
  if (flags.gateway === undefined)
    throw new CliError('serve --kubernetes needs --gateway <namespace/name>');
  const key = flags.gateway;
  const gatewayName = `${key.namespace}/${key.name}`;
  const kube = parseKubernetesFlags(options, io.env);
  const ports = parsePortMappings(options.port ?? []);
  const adminPort = options.adminPort === undefined ? undefined : parsePort(options.adminPort);
  const debounceMs = Number(options.debounce);
  if (!Number.isInteger(debounceMs) || debounceMs < 0)
    throw new CliError(
      `--debounce must be a whole number of milliseconds, got '${options.debounce}'`,
    );
  const backends = loadBackendMap(options.backends, options.backend ?? [], io.cwd);
  if (options.demoBackends && Object.keys(backends).length === 0)
    throw new CliError(
      '--demo-backends needs a backend map: --backends <file> or --backend ns/name:port=url',
    );
  const print = (lines: readonly string[]): void => {
    if (lines.length > 0) io.stdout(`${lines.join('\n')}\n`);
  };
  // Rule 27 / decision 21, as in file mode: Backends at another team's Service (the backend map's
  // addresses here; the source adds those it watches) or at the gateway itself are reported.
  // Before the listeners are bound only the ports asked for are known; the bound ones follow.
  const askedPorts = [
    ...ports.byListener.values(),
    ...(ports.single === undefined ? [] : [ports.single]),
    ...(adminPort === undefined ? [] : [adminPort]),
  ].filter((port) => port !== 0);
  const logger: Logger = pino(
    { level: options.logLevel, base: { name: 'switchyard' } },
    pino.destination({ fd: 2, sync: true }),
  );
  const [node, kubernetes] = await Promise.all([
    import('@switchyard/node'),
    import('@switchyard/kubernetes'),
  ]);

  let phase: Phase = 'starting';
  let problems: readonly SourceProblem[] = [];
  let gateway: Gateway | undefined;
  let source: KubernetesSource | undefined;
  let wake: () => void = () => {};
  let httpsNoted = false;
  let lastLeaseError: string | undefined;
  let findingsSaid: readonly Finding[] = [];
  const notReadyReason = (): string | undefined => {
    if (phase === 'draining') return 'shutting down';
    // Once serving, an API server outage leaves the last table in service: the data plane stays
    // ready (problems are still logged); a Gateway that went away or changed class empties the
    // table, which the listener check below reports.
    if (phase === 'starting' && problems.length > 0) {
      const reason = problems.map((p) => `${p.code} ${p.subject}: ${p.detail}`).join('; ');
      // API server messages are not ours to bound: a probe's answer stays small.
      return reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON - 3)}...` : reason;
    }
    if (phase === 'starting' || !source) return 'waiting for the first table from the cluster';
    if (source.current().listeners.length === 0)
      return `Gateway ${gatewayName} has no listener that can be served (see its status)`;
    return undefined;
  };

  const metrics = node.createMetrics({ processMetrics: true });
  const cleanup: (() => Promise<void> | void)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const step of cleanup.reverse()) await step();
  };
  try {
    // Up before anything can fail or hang: probes see the reason instead of a refused connection.
    const admin =
      adminPort === undefined
        ? undefined
        : await listenAdmin(
            node.createAdminServer({
              ready: () => notReadyReason() === undefined,
              notReadyReason,
              registry: metrics.registry,
            }),
            adminPort,
            options.host,
          );
    if (admin) cleanup.push(() => closeServer(admin.server));

    const onEvent = (event: KubernetesSourceEvent): void => {
      if (event.type === 'problems') {
        const before = problems;
        problems = event.problems;
        // Each problem once, when it appears; and a line when the last one is gone.
        print(problemLines(newProblems(before, problems)));
        if (problems.length === 0 && before.length > 0)
          print(['cluster: no problem left; serving resumes']);
      } else if (event.type === 'table') {
        const findings = source?.result()?.findings ?? [];
        print([
          `table: ${event.routes} flattened routes on ${event.listeners} listeners (${event.diagnostics} diagnostics)`,
          // Rule 27: what one team's objects do to another's (or to the gateway itself).
          ...findingLines(newFindings(findingsSaid, findings)).map((line) => `  ${line}`),
        ]);
        findingsSaid = findings;
      } else if (event.type === 'compile-error' || event.type === 'listener-error') {
        print([
          `error: ${event.type}: ${String(event.error)}; the last good table stays in service`,
        ]);
      } else if (event.type === 'status-error') {
        print([
          `error: writing the status of ${event.kind} ${event.namespace ? `${event.namespace}/` : ''}${event.name}: ${errorText(event.error)}; retrying`,
        ]);
      } else if (event.type === 'leader') {
        print([event.leading ? 'leader: this replica writes statuses' : 'leader: lost the Lease']);
      } else if (event.type === 'lease-error') {
        // Retried every few seconds: say it when it changes, not every time.
        const text = `error: leader election: ${errorText(event.error)}; retrying`;
        if (text !== lastLeaseError) print([text]);
        lastLeaseError = text;
      }
      if (event.type === 'leader') lastLeaseError = undefined;
      wake();
    };
    // Rule 28: compiles run in a worker thread; this thread keeps serving the last table and
    // assembles the new one between requests. Closed after the source (cleanup runs in reverse).
    const compiler = createCompileWorker();
    cleanup.push(() => compiler.close());
    source = kubernetes.createKubernetesSource({
      gateway: key,
      compiler: compiler.compile,
      controllerName: options.controllerName,
      debounceMs,
      ...(options.tlsSecrets ? { tlsSecrets: true } : {}),
      ...(flags.routeWeight === undefined ? {} : { routeWeight: flags.routeWeight }),
      ...(flags.maxDelegationDepth === undefined
        ? {}
        : { maxDelegationDepth: flags.maxDelegationDepth }),
      compileOptions: {
        ...(flags.delegationAllNamespaces === undefined
          ? {}
          : { delegationAllNamespaces: flags.delegationAllNamespaces }),
        serviceAddresses: serviceAddressesOf(backends),
        ownAddresses: ownAddressesOf(options.host, askedPorts),
      },
      ...(kube.addresses === undefined ? {} : { addresses: kube.addresses }),
      ...(kube.leaseNamespace === undefined
        ? {}
        : { leaderElection: { namespace: kube.leaseNamespace } }),
      onEvent,
    });
    const watching = source;
    cleanup.push(() => watching.close());
    print([
      `switchyard serve: Gateway ${gatewayName} from the cluster (controller ${options.controllerName})`,
      ...(admin ? [`admin ${admin.url}  (/healthz /readyz /metrics)`] : []),
    ]);

    const stopped = io.stopSignal ?? signals();
    let stopping = false;
    void stopped.then(() => {
      stopping = true;
      wake();
    });

    // Until the Gateway can be served: every change re-evaluates; problems were printed as found.
    for (;;) {
      if (stopping) return;
      const fatal = problems.find((p) => p.code === 'unreachable' || p.code === 'unauthorized');
      if (fatal && kube.exitOnUnreachable)
        throw new CliError(
          `cannot read the cluster: ${fatal.subject}: ${fatal.detail} (--exit-on-unreachable)`,
          EXIT.runtime,
        );
      if (!options.tlsSecrets && problems.length === 0 && watching.result() !== undefined) {
        const listeners = specListeners(watching.objects('gateways'), key);
        const https = listeners.filter((l) => l.protocol === 'HTTPS').map((l) => l.name);
        const what = `HTTPS listener${https.length === 1 ? '' : 's'} ${https.join(', ')}`;
        // A flag missing from the deployment does not fix itself: say so and stop (exit 2).
        if (https.length > 0 && https.length === listeners.length)
          throw new CliError(
            `Gateway ${gatewayName} has only its ${what}, whose certificates are Secrets: add --tls-secrets`,
          );
        if (https.length > 0 && !httpsNoted) {
          httpsNoted = true;
          print([`note: ${what} not served: certificate Secrets are read only with --tls-secrets`]);
        }
      }
      if (problems.length === 0 && watching.current().listeners.length > 0) break;
      await new Promise<void>((resolve) => (wake = resolve));
    }

    let demo: DemoBackends | undefined;
    if (options.demoBackends) {
      demo = await startDemoBackends(backends);
      cleanup.push(() => demo!.close());
    }
    const table = watching.current();
    const listenerPorts = [...new Set(table.listeners.map((l) => l.port))];
    if (ports.single !== undefined && listenerPorts.length !== 1)
      throw new CliError(
        `--port ${ports.single}: the Gateway has listeners on ${listenerPorts.join(', ')}; say which: --port LISTENER_PORT=LOCAL_PORT`,
      );
    gateway = await startGateway(node, {
      source: watching,
      host: options.host,
      ports: (listenerPort) => ports.byListener.get(listenerPort) ?? ports.single ?? listenerPort,
      backends,
      logger,
      metrics,
    });
    const started = gateway;
    cleanup.push(() => started.close({ graceMs: DRAIN_GRACE_MS }));
    // Compiles again with the ports bound now, when they differ from the ones last compiled with.
    const follow = followOwnPorts(options.host, askedPorts, (ownAddresses) => {
      void watching.reconfigure({ ownAddresses });
    });
    const followBoundPorts = (): void =>
      follow([
        ...started.addresses().map((a) => a.port),
        ...(admin ? [Number(new URL(admin.url).port)] : []),
        ...askedPorts,
      ]);
    followBoundPorts();
    phase = 'serving';
    let open = listenerLines(started, watching.current()).join('\n');
    print([`gateway ${gatewayName}`, ...listenerLines(started, table)]);
    watching.subscribe(() => {
      // The gateway opens and closes listener ports to follow the table: say so when it does.
      void started.settled().then(() => {
        followBoundPorts();
        const lines = listenerLines(started, watching.current());
        if (lines.join('\n') === open) return;
        open = lines.join('\n');
        print(['listeners now:', ...lines]);
      });
    });
    print(['watching the cluster for changes; Ctrl-C to stop']);
    await stopped;

    phase = 'draining';
    print([
      `stopping: /readyz answers 503; serving ${kube.shutdownDelayMs / 1000}s more (--shutdown-delay), then draining`,
    ]);
    await new Promise((resolve) => setTimeout(resolve, kube.shutdownDelayMs));
  } finally {
    phase = 'draining';
    await stopAll();
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
  }

  function parsePort(text: string): number {
    const port = Number(text);
    if (!/^\d+$/.test(text) || port > 65535)
      throw new CliError(`--admin-port: not a port: '${text}'`);
    return port;
  }
}

interface GatewayStart {
  readonly source: KubernetesSource;
  readonly host: string;
  readonly ports: (listenerPort: number) => number;
  readonly backends: Readonly<Record<string, string>>;
  readonly logger: Logger;
  readonly metrics: Gateway['metrics'];
}

async function startGateway(node: NodeModule, options: GatewayStart): Promise<Gateway> {
  const { source } = options;
  try {
    return await node.createGateway({
      source,
      host: options.host,
      ports: options.ports,
      resolver: node.chainResolvers(
        node.staticResolver(options.backends),
        {
          // Endpoints of Services the cluster knows; a Service with none ready answers 503.
          resolve: (backend) => {
            const found = source.resolveBackend({ ...backend, weight: 1 });
            return 'origins' in found ? found : { status: 503, reason: 'no ready endpoints' };
          },
        },
        node.defaultResolver(),
      ),
      // Read at every (re)load of the listeners: a rotated Secret makes a new table.
      certificates: (ref) => node.certificatesFromSecrets(source.objects('secrets'))(ref),
      logger: options.logger,
      metrics: options.metrics ?? false,
      admin: false,
      shutdownGraceMs: DRAIN_GRACE_MS,
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = error instanceof Error ? error.message : String(error);
    throw new CliError(
      code === 'EADDRINUSE'
        ? `cannot listen: ${message} (choose another port with --port LISTENER_PORT=LOCAL_PORT)`
        : `cannot start the gateway: ${message}`,
      EXIT.runtime,
    );
  }
}

function listenerLines(gateway: Gateway, table: RouteTable): string[] {
  const names = new Map(table.listeners.map((l) => [l.port, l.name]));
  return gateway
    .addresses()
    .sort((a, b) => a.listenerPort - b.listenerPort)
    .map((address) => {
      const at = gateway.addressFor(address.listenerPort) ?? address;
      const scheme = address.protocol === 'HTTPS' ? 'https' : 'http';
      const name = names.get(address.listenerPort) ?? String(address.listenerPort);
      return `  listener ${name} :${address.listenerPort}  →  ${scheme}://${urlHost(at.host)}:${at.port}`;
    });
}

async function listenAdmin(
  server: Server,
  port: number,
  host: string,
): Promise<{ server: Server; url: string }> {
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    throw new CliError(
      `cannot listen on the admin port: ${error instanceof Error ? error.message : String(error)} (choose another with --admin-port)`,
      EXIT.runtime,
    );
  }
  const address = server.address() as AddressInfo;
  return { server, url: `http://${urlHost(address.address)}:${address.port}` };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function signals(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
