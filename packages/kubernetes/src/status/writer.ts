/**
 * Writes what `compile` reports back to the API server, through the status subresource: each
 * HTTPRoute's `status.parents` entries of our controller, and our Gateway's listener statuses.
 * A write happens only when something other than a timestamp changed; it is conditional on the
 * resourceVersion it was computed from, and a 409 Conflict is answered with a fresh GET and a new
 * merge (another controller wrote its own entries in between, which must survive).
 */
import type { CompileResult, RouteParentStatus } from '@switchyard/core';
import { httpStatusOf, type KubeClient, type RawObject } from '../kube-client.js';
import { RESOURCES, apiVersionOf, type ApiResource } from '../resources.js';
import { createBackoff, type BackoffOptions } from '../watch/backoff.js';
import { timestamp } from './conditions.js';
import {
  BUNDLE_VERSION_ANNOTATION,
  GATEWAY_CLASS_CRD,
  gatewayClassConditions,
  mergeGatewayClassStatus,
  type BundleVersion,
} from './gateway-class-status.js';
import type { GatewayAddress } from './gateway-addresses.js';
import { mergeGatewayStatus } from './gateway-status.js';
import { mergeRouteParents, type GatewayKey } from './route-status.js';

export type StatusKind = 'HTTPRoute' | 'Gateway' | 'GatewayClass';

export type StatusEvent =
  | {
      readonly type: 'status-written';
      readonly kind: StatusKind;
      readonly namespace: string;
      readonly name: string;
      /** 1 without conflicts. */
      readonly attempts: number;
    }
  | {
      readonly type: 'status-error';
      readonly kind: StatusKind;
      readonly namespace: string;
      readonly name: string;
      readonly error: unknown;
    };

export interface StatusWriterOptions {
  readonly client: KubeClient;
  readonly controllerName: string;
  readonly gateway: GatewayKey;
  /** The cached HTTPRoutes (with their current status). */
  readonly routes: () => readonly RawObject[];
  /** The cached Gateway this source serves; undefined when it is missing or not ours. */
  readonly gatewayObject: () => RawObject | undefined;
  /** The Gateway's `status.addresses`; undefined (or absent) leaves them as they are. */
  readonly addresses?: () => readonly GatewayAddress[] | undefined;
  /** The cached GatewayClasses whose controllerName is ours: their `Accepted` is ours to write. */
  readonly gatewayClasses?: () => readonly RawObject[];
  readonly onEvent?: (event: StatusEvent) => void;
  readonly backoff?: BackoffOptions;
  /** Asked before every write: false stops the pass (this replica lost the Lease). Default: always. */
  readonly mayWrite?: () => boolean;
  /** Conflicts retried per object before giving up until the next pass. Default 5. */
  readonly maxAttempts?: number;
  readonly now?: () => Date;
}

export interface StatusWriter {
  /** Brings the cluster in line with `result`; passes requested while one runs are merged. */
  reconcile(result: Pick<CompileResult, 'statuses' | 'gateways'>): void;
  /** Resolves when no pass is running and no retry is scheduled. */
  idle(): Promise<void>;
  isIdle(): boolean;
  stop(): Promise<void>;
}

/** A PUT of a custom resource must name its kind; cached objects normally do, but say it anyway. */
const GATEWAY_TYPE = {
  apiVersion: apiVersionOf(RESOURCES.gateways),
  kind: RESOURCES.gateways.kind,
};

type Outcome = 'unchanged' | 'written' | 'gone' | 'failed' | 'skipped';

/**
 * @example
 * ```ts
 * const writer = createStatusWriter({ client, controllerName, gateway, routes: () => informer.list(), gatewayObject });
 * writer.reconcile(compile(objects, { gateway }));
 * ```
 */
export function createStatusWriter(options: StatusWriterOptions): StatusWriter {
  const { client, controllerName, gateway } = options;
  const emit = options.onEvent ?? (() => {});
  const now = options.now ?? (() => new Date());
  const maxAttempts = options.maxAttempts ?? 5;
  const mayWrite = options.mayWrite ?? (() => true);
  const backoff = createBackoff(options.backoff);
  /** Our last write per object, until the cache shows a newer version than the one it replaced. */
  const written = new Map<string, { replaced: string | undefined; object: RawObject }>();
  let pending: Pick<CompileResult, 'statuses' | 'gateways'> | undefined;
  let running: Promise<void> | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let stopped = false;

  /** The freshest version we know: the cache, unless it still shows what our write replaced. */
  const freshest = (kind: string, cached: RawObject): RawObject => {
    // Cluster-scoped objects (GatewayClasses) have no namespace: '' as `writeWithRetry` keys them.
    const key = `${kind}/${cached.metadata?.namespace ?? ''}/${cached.metadata?.name}`;
    const ours = written.get(key);
    if (!ours) return cached;
    if (ours.replaced === cached.metadata?.resourceVersion) return ours.object;
    written.delete(key);
    return cached;
  };

  /** Compute, write, and on 409 start over from a fresh GET. */
  async function writeWithRetry(
    resource: ApiResource,
    start: RawObject,
    write: (object: RawObject) => { body: RawObject; patch: boolean } | undefined,
  ): Promise<Outcome> {
    const kind = resource.kind as StatusKind;
    const namespace = start.metadata?.namespace ?? '';
    const name = start.metadata?.name ?? '';
    let object = start;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const request = write(object);
      if (!request) return 'unchanged';
      if (stopped || !mayWrite()) return 'skipped';
      try {
        const result = request.patch
          ? await client.mergePatchStatus(resource, namespace, name, request.body)
          : await client.replaceStatus(resource, namespace, name, request.body);
        written.set(`${kind}/${namespace}/${name}`, {
          replaced: object.metadata?.resourceVersion,
          object: result,
        });
        emit({ type: 'status-written', kind, namespace, name, attempts: attempt });
        return 'written';
      } catch (error) {
        const status = httpStatusOf(error);
        if (status === 404) return 'gone';
        if (status !== 409 || attempt === maxAttempts) {
          emit({ type: 'status-error', kind, namespace, name, error });
          return 'failed';
        }
        try {
          object = await client.getStatus(resource, namespace, name);
        } catch (getError) {
          if (httpStatusOf(getError) === 404) return 'gone';
          emit({ type: 'status-error', kind, namespace, name, error: getError });
          return 'failed';
        }
      }
    }
    return 'failed';
  }

  async function pass(result: Pick<CompileResult, 'statuses' | 'gateways'>): Promise<boolean> {
    const at = timestamp(now());
    const byRoute = new Map<string, readonly RouteParentStatus[]>();
    for (const status of result.statuses)
      byRoute.set(`${status.namespace}/${status.name}`, status.parents);
    let failed = false;
    for (const cached of options.routes()) {
      if (stopped) return true;
      const desired = byRoute.get(`${cached.metadata?.namespace}/${cached.metadata?.name}`) ?? [];
      const outcome = await writeWithRetry(
        RESOURCES.httpRoutes,
        freshest('HTTPRoute', cached),
        (object) => {
          const current = (object['status'] as { parents?: unknown } | undefined)?.parents;
          const merged = mergeRouteParents(current, desired, { controllerName, gateway }, at);
          if (!merged.changed) return undefined;
          const resourceVersion = object.metadata?.resourceVersion;
          const metadata = resourceVersion === undefined ? {} : { resourceVersion };
          return { body: { metadata, status: { parents: merged.parents } }, patch: true };
        },
      );
      failed ||= outcome === 'failed';
    }
    const gatewayObject = options.gatewayObject();
    const desiredGateway = result.gateways.find(
      (g) => g.namespace === gateway.namespace && g.name === gateway.name,
    );
    if (gatewayObject && desiredGateway && !stopped) {
      const outcome = await writeWithRetry(
        RESOURCES.gateways,
        freshest('Gateway', gatewayObject),
        (object) => {
          const addresses = options.addresses?.();
          const merged = mergeGatewayStatus(object['status'], desiredGateway, at, addresses);
          return merged.changed
            ? { body: { ...object, ...GATEWAY_TYPE, status: merged.status }, patch: false }
            : undefined;
        },
      );
      failed ||= outcome === 'failed';
    }
    const classes = options.gatewayClasses?.() ?? [];
    const bundle = classes.length > 0 && !stopped ? await readBundleVersion(client) : undefined;
    for (const cached of classes) {
      if (stopped || !bundle) break;
      const outcome = await writeWithRetry(
        RESOURCES.gatewayClasses,
        freshest('GatewayClass', cached),
        (object) => {
          const desired = gatewayClassConditions(object.metadata?.generation, bundle);
          const merged = mergeGatewayClassStatus(object['status'], desired, at);
          if (!merged.changed) return undefined;
          const resourceVersion = object.metadata?.resourceVersion;
          const metadata = resourceVersion === undefined ? {} : { resourceVersion };
          return { body: { metadata, status: merged.status }, patch: true };
        },
      );
      failed ||= outcome === 'failed';
    }
    return !failed;
  }

  function drain(): Promise<void> {
    running ??= (async () => {
      while (pending && !stopped) {
        const result = pending;
        pending = undefined;
        const ok = await pass(result);
        if (ok) backoff.reset();
        else if (!pending && !stopped) {
          // The API server failed us (not a conflict): try the same statuses again later.
          const retry = result;
          clearTimeout(retryTimer);
          retryTimer = setTimeout(() => {
            retryTimer = undefined;
            writer.reconcile(retry);
          }, backoff.next());
        }
      }
      running = undefined;
    })();
    return running;
  }

  const writer: StatusWriter = {
    reconcile(result) {
      if (stopped) return;
      pending = result;
      clearTimeout(retryTimer);
      retryTimer = undefined;
      void drain();
    },
    async idle() {
      while (running || retryTimer) {
        if (running) await running;
        else await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    isIdle: () => running === undefined && retryTimer === undefined,
    async stop() {
      stopped = true;
      clearTimeout(retryTimer);
      retryTimer = undefined;
      await writer.idle();
    },
  };
  return writer;
}

/** The Gateway API release installed, from its CRD's annotation (read once per pass). */
async function readBundleVersion(client: KubeClient): Promise<BundleVersion> {
  try {
    const crd = await client.readCustomResourceDefinition(GATEWAY_CLASS_CRD);
    return { version: crd?.metadata?.annotations?.[BUNDLE_VERSION_ANNOTATION] };
  } catch (error) {
    const status = httpStatusOf(error);
    return { error: status === undefined ? String(error) : `the API server answered ${status}` };
  }
}
