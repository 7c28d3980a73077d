/**
 * The flags of `serve --kubernetes` beyond those `serve` shares with file mode, and their parsing:
 * every bad value is a usage error naming the flag.
 */
import type { Command } from 'commander';
import { CliError } from '../errors.js';
import { parseObjectKey } from '../commands/inputs.js';

export interface KubernetesFlagOptions {
  readonly shutdownDelay: string;
  readonly exitOnUnreachable?: boolean;
  readonly gatewayAddress?: string[];
  readonly addressFromService?: string;
  readonly leaseNamespace?: string;
}

/** Default `--shutdown-delay`: long enough for endpoints to drop a terminating Pod. */
export const DEFAULT_SHUTDOWN_DELAY_SECONDS = 5;

/** Adds the `--kubernetes`-only flags to `serve`. */
export function withKubernetesFlags(command: Command): Command {
  return command
    .option(
      '--shutdown-delay <seconds>',
      'with --kubernetes: on SIGTERM, answer /readyz 503 and keep serving this long before draining (so that Service endpoints drop the Pod first)',
      String(DEFAULT_SHUTDOWN_DELAY_SECONDS),
    )
    .option(
      '--exit-on-unreachable',
      'with --kubernetes: exit 3 when the API server cannot be reached (or refuses the credentials) before the first table, instead of retrying with backoff',
    )
    .option(
      '--gateway-address <address>',
      "with --kubernetes: an IP or hostname written to the Gateway's status.addresses (repeatable)",
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .option(
      '--address-from-service <namespace/name>',
      "with --kubernetes: write the Gateway's status.addresses from this Service (load balancer ingress, else cluster IP)",
    )
    .option(
      '--lease-namespace <namespace>',
      'with --kubernetes: where the leader-election Lease lives (default: $POD_NAMESPACE, else the Gateway namespace)',
    );
}

export interface ParsedKubernetesFlags {
  readonly shutdownDelayMs: number;
  readonly exitOnUnreachable: boolean;
  readonly addresses:
    | {
        readonly values?: readonly string[];
        readonly service?: { readonly namespace: string; readonly name: string };
      }
    | undefined;
  readonly leaseNamespace: string | undefined;
}

export function parseKubernetesFlags(
  options: KubernetesFlagOptions,
  env: Readonly<Record<string, string | undefined>>,
): ParsedKubernetesFlags {
  const seconds = Number(options.shutdownDelay);
  if (!/^\d+(\.\d+)?$/.test(options.shutdownDelay) || !Number.isFinite(seconds) || seconds > 3600)
    throw new CliError(
      `--shutdown-delay must be a number of seconds between 0 and 3600, got '${options.shutdownDelay}'`,
    );
  const values = options.gatewayAddress ?? [];
  for (const value of values)
    if (!/^[A-Za-z0-9.:-]+$/.test(value))
      throw new CliError(`--gateway-address must be an IP address or a hostname, got '${value}'`);
  const service =
    options.addressFromService === undefined
      ? undefined
      : parseObjectKey(options.addressFromService, '--address-from-service');
  const addresses =
    values.length === 0 && service === undefined
      ? undefined
      : { ...(values.length > 0 ? { values } : {}), ...(service ? { service } : {}) };
  const leaseNamespace = options.leaseNamespace ?? (env['POD_NAMESPACE'] || undefined);
  if (leaseNamespace !== undefined && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(leaseNamespace))
    throw new CliError(`--lease-namespace must be a namespace name, got '${leaseNamespace}'`);
  return {
    shutdownDelayMs: Math.round(seconds * 1000),
    exitOnUnreachable: options.exitOnUnreachable === true,
    addresses,
    leaseNamespace,
  };
}

/**
 * `--port` for a cluster-fed gateway: `LISTENER_PORT=LOCAL_PORT`, or `LOCAL_PORT` alone for a
 * Gateway with one listener port; listener ports not named bind as themselves.
 */
export function parsePortMappings(mappings: readonly string[]): {
  readonly byListener: ReadonlyMap<number, number>;
  readonly single: number | undefined;
} {
  const byListener = new Map<number, number>();
  let single: number | undefined;
  for (const mapping of mappings) {
    const pair = /^(\d+)=(\d+)$/.exec(mapping);
    if (pair) byListener.set(port(pair[1]!, mapping), port(pair[2]!, mapping));
    else if (/^\d+$/.test(mapping)) single = port(mapping, mapping);
    else
      throw new CliError(`--port must be LISTENER_PORT=LOCAL_PORT or LOCAL_PORT, got '${mapping}'`);
  }
  return { byListener, single };
}

function port(text: string, mapping: string): number {
  const value = Number(text);
  if (value > 65535) throw new CliError(`--port ${mapping}: not a port: '${text}'`);
  return value;
}
