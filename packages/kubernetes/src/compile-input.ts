/**
 * What the source compiles: the watched objects as compile input, the compile options with the
 * cluster's Service addresses, and a key saying whether any of it changed since the table in
 * service was compiled. The key costs O(changes) as events arrive and O(resources + addresses)
 * when read: nothing re-reads the whole input to find out that it is the same (rule 28).
 */
import type { CompileOptions } from '@switchyard/core';
import { createInputChanges } from './input-changes.js';
import type { RawObject } from './kube-client.js';
import { sortByKey, toCompileInput } from './objects.js';
import type { SourceCompileOptions } from './options.js';
import { apiVersionOf, type ResourceName } from './resources.js';
import { hostsOfInterest, serviceAddresses } from './service-addresses.js';
import type { CacheChange, Informer } from './watch/informer.js';

/** Routing input, in the order `compile` gets it; EndpointSlices are data-plane only. */
const TABLE_INPUT: readonly ResourceName[] = [
  'namespaces',
  'gateways',
  'httpRoutes',
  'referenceGrants',
  'services',
  'backends',
  'secrets',
];

export interface CompileInputOptions {
  /** Filled by the source; read only when asked. */
  readonly informers: ReadonlyMap<ResourceName, Informer>;
  readonly gateway: { readonly namespace: string; readonly name: string };
  /** Our Gateway, when it exists and its class is ours. */
  readonly servedGateway: () => RawObject | undefined;
  readonly compileOptions: SourceCompileOptions;
  readonly routeWeight: boolean | undefined;
  readonly maxDelegationDepth: number | undefined;
}

export interface CompileInputs {
  /** Records a change of an informer's cache; true when a compile may be due. */
  record(resource: ResourceName, change: CacheChange): boolean;
  /** Replaces some compile options; a compile is due. */
  reconfigure(options: Partial<SourceCompileOptions>): void;
  /** The options of the next compile, and the key of everything that compile reads. */
  next(): { readonly options: CompileOptions; readonly key: string };
  /** The compile input now: the routing resources, each sorted, of Gateways only ours. */
  input(): RawObject[];
  /** One resource's cache as `compile` sees it, sorted by namespace and name. */
  objects(resource: ResourceName): RawObject[];
}

/**
 * @example
 * ```ts
 * const inputs = createCompileInputs({ informers, gateway, servedGateway, compileOptions: {}, ... });
 * informer.onChange = (change) => inputs.record('httpRoutes', change) && loop.schedule();
 * const { options, key } = inputs.next();
 * if (key !== compiledKey) swap(await compiler(inputs.input(), options));
 * ```
 */
export function createCompileInputs(config: CompileInputOptions): CompileInputs {
  const { informers, gateway } = config;
  let compileOptions = config.compileOptions;
  const changes = createInputChanges();
  /** Bumped by every change of the input other than addresses: objects, absent CRDs, options. */
  let generation = 0;
  const cache = (name: ResourceName) => informers.get(name)?.list() ?? [];
  const isOurs = (object: RawObject) =>
    object.metadata?.namespace === gateway.namespace && object.metadata?.name === gateway.name;
  const interestingHosts = () =>
    hostsOfInterest(cache('backends'), compileOptions.ownAddresses ?? []);

  function objects(name: ResourceName): RawObject[] {
    const informer = informers.get(name);
    if (!informer) return [];
    const resource = informer.served();
    return sortByKey(informer.list()).map((object) => toCompileInput(resource, object));
  }

  return {
    record(name, change) {
      // Which Gateways are ours depends on their GatewayClass.
      if (TABLE_INPUT.includes(name) || name === 'gatewayClasses') {
        // Other Gateways are not compile input (see `input`).
        const relevant = name !== 'gateways' || change.type === 'absent' || isOurs(change.object);
        if (relevant && changes.record(name, change)) generation += 1;
        return true;
      }
      // Pod addresses matter only when a Backend or the gateway itself uses their host.
      return name === 'endpointSlices' && interestingHosts().size > 0;
    },
    reconfigure(next) {
      compileOptions = { ...compileOptions, ...next };
      generation += 1;
    },
    next() {
      const watched = serviceAddresses(
        cache('services'),
        cache('endpointSlices'),
        interestingHosts(),
      );
      const options: CompileOptions = {
        ...compileOptions,
        serviceAddresses: [...(compileOptions.serviceAddresses ?? []), ...watched],
        gateway,
        ...(config.routeWeight !== undefined ? { routeWeight: config.routeWeight } : {}),
        ...(config.maxDelegationDepth !== undefined
          ? { maxDelegationDepth: config.maxDelegationDepth }
          : {}),
      };
      // The version each resource is read at is stamped on its objects (`toCompileInput`).
      const versions = [...informers.values()].map((i) => apiVersionOf(i.served()));
      return { options, key: JSON.stringify([generation, versions, watched]) };
    },
    input() {
      const input: RawObject[] = [];
      for (const name of TABLE_INPUT) {
        let found = objects(name);
        // Other Gateways, and ours when its class is another controller's, are not our business:
        // their routes get no status from us.
        if (name === 'gateways') {
          const served = config.servedGateway();
          found = found.filter((g) => served !== undefined && isOurs(g));
        }
        for (const object of found) input.push(object);
      }
      return input;
    },
    objects,
  };
}
