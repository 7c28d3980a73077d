/**
 * `switchyard serve <paths...>`: a gateway from a folder of manifests. Compiles them, opens one
 * local port per Gateway listener, proxies to the backends of the backend map (optionally
 * started here as demo echo servers), prints where it listens and how to try it, and reloads
 * on every change, saying what changed. `--kubernetes` serves from a cluster instead.
 */
import type { CompileResult, RouteSource, RouteTable } from '@switchyard/core';
import { Command, Option } from 'commander';
import { pino, type Logger } from 'pino';
import { CliError, EXIT, type ExitCode } from '../errors.js';
import {
  createWorkerFileSource,
  MissingPathError,
  OwnersFileError,
  type CompileFlags,
  type LocatedObject,
  type WorkerFileSource,
} from '@switchyard/files';
import type { CliIo } from '../io.js';
import { locationText } from '../report/paths.js';
import {
  discoverBackendsFile,
  loadBackendMap,
  unknownBackendKeys,
  type BackendMap,
} from '../serve/backend-map.js';
import { watchBackendMap } from '../serve/backend-map-watch.js';
import { startDemoBackends, type DemoBackends } from '../serve/demo-backends.js';
import { startNodeGateway } from '../serve/node-runtime.js';
import type { BackendLookup, ListenerPlan, RunningGateway } from '../serve/runtime.js';
import {
  backendMapEventLines,
  reportLines,
  tableSummaryLines,
  unknownKeyLine,
  unmappedBackendLines,
} from '../serve/serve-text.js';
import { serveKubernetes, type KubernetesServeOptions } from '../serve/kubernetes.js';
import { withKubernetesFlags } from '../serve/kubernetes-flags.js';
import { tryLines } from '../serve/try-lines.js';
import { followOwnPorts, ownAddressesOf, serviceAddressesOf } from './addresses.js';
import { compileFlags, withCompileOptions, type CompileFlagOptions } from './inputs.js';
import { proxyFlags, withProxyOptions } from './proxy-flags.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

interface ServeOptions extends CompileFlagOptions {
  readonly port?: string[];
  readonly host: string;
  readonly adminPort?: string;
  readonly backend?: string[];
  readonly backends?: string;
  readonly demoBackends?: boolean;
  readonly logLevel: string;
  readonly debounce: string;
  readonly kubernetes?: boolean;
  readonly controllerName: string;
  readonly tlsSecrets?: boolean;
  readonly owners?: string;
  readonly trustedProxies?: string;
  readonly trustedHops?: string;
  readonly via?: string;
  readonly upgrades?: string;
}

export function serveCommand(io: CliIo, done: (code: ExitCode) => void): Command {
  const command = new Command('serve')
    .description(
      'Run a gateway from the manifests: one local port per Gateway listener, reloading on every change.',
    )
    .argument('[paths...]', 'YAML or JSON files and folders to serve (watched for changes)')
    .option(
      '-p, --port <mapping>',
      'where to serve a listener: LISTENER_PORT=LOCAL_PORT, or LOCAL_PORT when the Gateway has one listener; 0 = any free port (repeatable; default: the listener port itself)',
      collect,
    )
    .option('--host <address>', 'address to bind', '127.0.0.1')
    .option('--admin-port <port>', 'serve /healthz, /readyz and /metrics on this port')
    .option(
      '-b, --backend <mapping>',
      'a local address for a backend: ns/name:port=http://host:port (repeatable)',
      collect,
    )
    .option(
      '--backends <file>',
      'a YAML or JSON file mapping "ns/name:port" to URLs (default: backends.local.yaml in a served folder, when there is one)',
    )
    .option('--demo-backends', 'start a small echo server on every address of the backend map')
    .option(
      '--owners <file>',
      'which folder may declare which namespaces and Gateways (default: owners.yaml at the top of the first path, when there is one)',
    )
    .addOption(
      new Option('--log-level <level>', 'access and proxy log level (JSON on stderr)')
        .choices(LOG_LEVELS)
        .default('info'),
    )
    .option('--debounce <ms>', 'quiet period after a file change before reloading', '100')
    .option(
      '--kubernetes',
      'serve the Gateway named by --gateway from the cluster of KUBECONFIG instead of files',
    )
    .option(
      '--controller-name <name>',
      'with --kubernetes: the controllerName written into statuses',
      'switchyard.dev/gateway-controller',
    )
    .option(
      '--tls-secrets',
      "with --kubernetes: watch kubernetes.io/tls Secrets for HTTPS listeners' certificateRefs (needs get/list/watch on secrets)",
    );
  withProxyOptions(command);
  withCompileOptions(withKubernetesFlags(command)).action(
    async (paths: string[], options: ServeOptions & KubernetesServeOptions) => {
      if (options.kubernetes) await serveKubernetes(paths, options, io);
      else await serve(paths, options, io);
      done(EXIT.ok);
    },
  );
  return command;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

async function serve(paths: readonly string[], options: ServeOptions, io: CliIo): Promise<void> {
  const proxy = proxyFlags(options);
  const explicit = options.backends !== undefined || (options.backend ?? []).length > 0;
  const backendsFile = explicit ? options.backends : discoverBackendsFile(paths, io.cwd);
  const backends = loadBackendMap(backendsFile, options.backend ?? [], io.cwd);
  const adminPort =
    options.adminPort === undefined ? undefined : parsePort(options.adminPort, '--admin-port');
  // Rule 27 / decision 21: the core reports Backends at another team's Service or at the gateway
  // itself. Before the listeners are bound only the ports asked for are known; the bound ones
  // follow through the file source's `reconfigure`.
  const askedPorts = [
    ...(options.port ?? []).flatMap((m) => /^(?:\d+=)?(\d+)$/.exec(m)?.slice(1).map(Number) ?? []),
    ...(adminPort === undefined ? [] : [adminPort]),
  ].filter((port) => port !== 0);
  const flags = {
    ...compileFlags(options),
    serviceAddresses: serviceAddressesOf(backends),
    ownAddresses: ownAddressesOf(options.host, askedPorts),
  };
  const debounceMs = Number(options.debounce);
  if (!Number.isInteger(debounceMs) || debounceMs < 0)
    throw new CliError(
      `--debounce must be a whole number of milliseconds, got '${options.debounce}'`,
    );
  const print = (lines: readonly string[]): void => {
    if (lines.length > 0) io.stdout(`${lines.join('\n')}\n`);
  };
  const logger: Logger = pino(
    { level: options.logLevel, base: { name: 'switchyard' } },
    pino.destination({ fd: 2, sync: true }),
  );

  const opened = await openSource(paths, options, flags, debounceMs, io, print);
  const cleanup: (() => Promise<void> | void)[] = [() => opened.close()];
  const stopAll = async (): Promise<void> => {
    for (const step of cleanup.reverse()) await step();
  };
  try {
    const table = opened.source.current();
    const listeners = planListeners(table, options.port ?? []);
    let demo: DemoBackends | undefined;
    if (options.demoBackends) {
      if (Object.keys(backends).length === 0)
        throw new CliError(
          '--demo-backends needs a backend map: --backends <file> or --backend ns/name:port=url',
        );
      demo = await startDemoBackends(backends);
      cleanup.push(() => demo!.close());
    }
    const live = watchBackendMap({
      file: backendsFile,
      flags: options.backend ?? [],
      cwd: io.cwd,
      initial: backends,
      debounceMs,
      onEvent: (event) => {
        print(backendMapEventLines(event));
        if (event.kind !== 'reloaded') return;
        warnUnknownKeys();
        void opened.reconfigure({ serviceAddresses: serviceAddressesOf(live.snapshot()) });
      },
    });
    cleanup.push(() => live.close());
    // Said again only when the set of unknown keys changes (a table or map reload).
    let unknownSaid = '';
    const warnUnknownKeys = (): void => {
      const unknown = unknownBackendKeys(opened.source.current(), live.snapshot());
      if (unknown.join() === unknownSaid) return;
      unknownSaid = unknown.join();
      print(unknown.map(unknownKeyLine));
    };
    const gateway: RunningGateway = await startNodeGateway({
      source: opened.source,
      listeners,
      host: options.host,
      backends: live.map,
      ...(adminPort === undefined ? {} : { adminPort }),
      logger,
      ...(opened.resolver === undefined ? {} : { resolver: opened.resolver }),
      certificateObjects: opened.certificateObjects ?? (() => opened.objects().map((o) => o.value)),
      proxy,
    });
    cleanup.push(() => gateway.close());
    const boundPorts = (): number[] => [
      ...gateway.current().map((l) => Number(new URL(l.url).port)),
      ...(gateway.admin === undefined ? [] : [Number(new URL(gateway.admin.url).port)]),
      ...askedPorts,
    ];
    // Compiles again with the ports bound now, when they differ from the ones last compiled with.
    const follow = followOwnPorts(options.host, askedPorts, (ownAddresses) => {
      void opened.reconfigure({ ownAddresses });
    });
    const followBoundPorts = (): void => follow(boundPorts());
    followBoundPorts();

    const mapSource =
      backendsFile === undefined
        ? undefined
        : explicit
          ? backendsFile
          : `${backendsFile} (found next to the manifests)`;
    print(banner(opened, table, gateway, demo, backends, mapSource, io.cwd));
    warnUnknownKeys();
    let open = gateway.listeners.map((l) => l.url).join(' ');
    opened.source.subscribe(() => {
      warnUnknownKeys();
      // The gateway opens and closes listener ports to follow the table: say so when it does.
      void gateway.settled().then(() => {
        const now = gateway.current();
        const urls = now.map((l) => l.url).join(' ');
        if (urls === open) return;
        open = urls;
        followBoundPorts();
        print([
          'listeners now:',
          ...now.map((l) => `  listener ${l.name} :${l.port}  →  ${l.url}`),
        ]);
      });
    });
    print([`${opened.watching}; Ctrl-C to stop`]);
    await (io.stopSignal ?? signals());
    print(['stopping']);
  } finally {
    await stopAll();
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
  }
}

interface OpenedSource {
  readonly source: RouteSource;
  /** Warnings and errors of the first load, printed after the banner's first line. */
  readonly startLines?: readonly string[];
  readonly title: string;
  readonly watching: string;
  result(): CompileResult | undefined;
  objects(): readonly LocatedObject[];
  readonly resolver?: BackendLookup;
  /** The objects whose TLS Secrets certify HTTPS listeners; default: the loaded objects. */
  readonly certificateObjects?: () => readonly unknown[];
  /** Compiles again with some compile flags replaced (facts learnt after start). */
  reconfigure(compile: Partial<CompileFlags>): Promise<unknown>;
  close(): Promise<void> | void;
}

async function openSource(
  paths: readonly string[],
  options: ServeOptions,
  flags: CompileFlags,
  debounceMs: number,
  io: CliIo,
  print: (lines: readonly string[]) => void,
): Promise<OpenedSource> {
  if (options.tlsSecrets)
    throw new CliError(
      '--tls-secrets goes with --kubernetes: served files bring their Secrets with them',
    );
  if (paths.length === 0)
    throw new CliError(
      "serve needs paths to serve (or --kubernetes); see 'switchyard serve --help'",
    );
  // Parsing and compiling run in a worker thread: a large reload never stalls requests (rule 28).
  let started: WorkerFileSource | undefined;
  const startLines: string[] = [];
  try {
    started = await createWorkerFileSource({
      paths,
      cwd: io.cwd,
      debounceMs,
      compile: flags,
      ...(options.owners === undefined ? {} : { owners: options.owners }),
      // What the first load found is printed with the banner, after the usage checks pass.
      onReport: (report) => {
        const lines = reportLines(report, started?.objects() ?? [], io.cwd);
        if (report.kind === 'load') startLines.push(...lines);
        else print(lines);
      },
    });
  } catch (error) {
    if (error instanceof MissingPathError) throw new CliError(error.message);
    if (error instanceof OwnersFileError)
      throw new CliError(
        `${locationText(error.problem.location, io.cwd)}: ${error.problem.message}`,
      );
    throw error;
  }
  const source = started;
  if (source.objects().length === 0 && source.refusals().length === 0) {
    await source.close();
    throw new CliError(`no Kubernetes objects in ${paths.join(' ')}`);
  }
  // The served Gateway is fixed now; the file source never switches to another on reload.
  const choice = source.gateway();
  if (!choice.ok) {
    await source.close();
    throw new CliError(
      choice.reason === 'not-found' ? `--gateway: ${choice.message}` : `serve: ${choice.message}`,
    );
  }
  const files = new Set(source.objects().map((o) => o.location.file)).size;
  return {
    source,
    startLines,
    title: `${paths.join(' ')} (${source.objects().length} objects from ${files} file${files === 1 ? '' : 's'})`,
    watching: `watching ${paths.join(' ')} for changes`,
    result: () => source.result(),
    objects: () => source.objects(),
    reconfigure: (compile) => source.reconfigure(compile),
    close: () => source.close(),
  };
}

/** One plan per HTTP(S) listener of the table, with `--port` applied. */
function planListeners(table: RouteTable, mappings: readonly string[]): ListenerPlan[] {
  const listeners = table.listeners;
  if (table.gateway === undefined || listeners.length === 0)
    throw new CliError(
      'nothing to serve: no Gateway with an accepted HTTP listener among the objects (see switchyard check)',
    );
  const local = new Map<number, number>();
  for (const mapping of mappings) {
    const pair = /^(\d+)=(\d+)$/.exec(mapping);
    if (pair) {
      const from = Number(pair[1]);
      if (!listeners.some((l) => l.port === from))
        throw new CliError(
          `--port ${mapping}: the Gateway has no listener on port ${from} (it has ${listeners.map((l) => l.port).join(', ')})`,
        );
      local.set(from, parsePort(pair[2]!, '--port'));
      continue;
    }
    if (/^\d+$/.test(mapping)) {
      const ports = [...new Set(listeners.map((l) => l.port))];
      if (ports.length !== 1)
        throw new CliError(
          `--port ${mapping}: the Gateway has listeners on ${ports.join(', ')}; say which: --port LISTENER_PORT=LOCAL_PORT`,
        );
      local.set(ports[0]!, parsePort(mapping, '--port'));
      continue;
    }
    throw new CliError(`--port must be LISTENER_PORT=LOCAL_PORT or LOCAL_PORT, got '${mapping}'`);
  }
  // Listeners sharing a port (different hostnames) share one local server.
  const byPort = new Map<number, ListenerPlan>();
  for (const listener of listeners) {
    if (byPort.has(listener.port)) continue;
    byPort.set(listener.port, {
      name: listener.name,
      port: listener.port,
      protocol: listener.protocol,
      localPort: local.get(listener.port) ?? listener.port,
    });
  }
  return [...byPort.values()];
}

function parsePort(text: string, flag: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new CliError(`${flag}: not a port: '${text}'`);
  return port;
}

function banner(
  opened: OpenedSource,
  table: RouteTable,
  gateway: RunningGateway,
  demo: DemoBackends | undefined,
  backends: BackendMap,
  mapSource: string | undefined,
  cwd: string,
): string[] {
  const lines = [`switchyard serve: ${opened.title}`, ...(opened.startLines ?? [])];
  if (table.gateway !== undefined)
    lines.push(`gateway ${table.gateway.namespace}/${table.gateway.name}`);
  for (const listener of gateway.listeners)
    lines.push(`  listener ${listener.name} :${listener.port}  →  ${listener.url}`);
  if (gateway.admin !== undefined)
    lines.push(`admin ${gateway.admin.url}  (${gateway.admin.paths.join(' ')})`);
  if (mapSource !== undefined) lines.push(`backend map: ${mapSource}`);
  if (demo !== undefined) {
    lines.push(
      `demo backends: ${demo.servers.size} echo server${demo.servers.size === 1 ? '' : 's'}`,
    );
    for (const [origin, keys] of demo.servers) lines.push(`  ${keys.join(', ')}  →  ${origin}`);
  }
  const result = opened.result();
  if (result !== undefined) lines.push(...tableSummaryLines(result, opened.objects(), cwd));
  const unmapped = unmappedBackendLines(table, backends);
  if (unmapped.length > 0 && Object.keys(backends).length > 0)
    lines.push('not in the backend map (dialled at their cluster or static address):', ...unmapped);
  const local = new Map(gateway.listeners.map((l) => [l.port, new URL(l.url).host]));
  // By path, so that each team's routes read together.
  const tries = tryLines(table, (port) => local.get(port)).sort((a, b) =>
    a.url === b.url ? a.command.localeCompare(b.command) : a.url < b.url ? -1 : 1,
  );
  if (tries.length > 0) {
    const width = Math.max(...tries.map((t) => t.command.length));
    lines.push('try:', ...tries.map((t) => `  ${t.command.padEnd(width)}  # ${t.expect}`));
  }
  return lines;
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
