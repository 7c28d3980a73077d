/**
 * Leader election over a `coordination.k8s.io/v1` Lease, as client-go does it: the holder renews
 * `renewTime` every few seconds; the others take over once the record has not changed for
 * `leaseDurationSeconds` of *their own* clock (timestamps of another replica are never compared
 * with ours). Every write is conditional on the resourceVersion read, so two candidates cannot
 * both win. Only the leader writes statuses; every replica serves traffic.
 */
import { httpStatusOf, type KubeClient, type LeaseRecord } from './kube-client.js';

export interface LeaderElectionOptions {
  /** Namespace of the Lease. Default: the Gateway's namespace. */
  readonly namespace: string;
  /** Default: `switchyard-<gateway name>`. */
  readonly name: string;
  /** This replica's identity. Default: the host name (the Pod name in a cluster) and a random suffix. */
  readonly identity: string;
  /** Default 15. */
  readonly leaseDurationSeconds?: number;
  /** How often the leader renews, ms. Default 5000. */
  readonly renewIntervalMs?: number;
  /** How often a follower looks at the Lease, ms. Default 2000. */
  readonly retryIntervalMs?: number;
}

export type LeaderEvent =
  | { readonly type: 'leader'; readonly leading: boolean; readonly identity: string }
  | { readonly type: 'lease-error'; readonly error: unknown };

export interface LeaderElector {
  /** True while we hold the Lease and renewed it within its duration. */
  isLeader(): boolean;
  start(): void;
  /** Stops renewing; a leader releases the Lease so that another replica takes over at once. */
  stop(): Promise<void>;
}

/**
 * @example
 * ```ts
 * const elector = createLeaderElector(client, { namespace: 'gw', name: 'switchyard-http', identity: os.hostname() }, (event) => {
 *   if (event.type === 'leader' && event.leading) writer.reconcile(latest);
 * });
 * elector.start();
 * ```
 */
export function createLeaderElector(
  client: KubeClient,
  options: LeaderElectionOptions,
  onEvent: (event: LeaderEvent) => void,
): LeaderElector {
  const { namespace, name, identity } = options;
  const durationMs = (options.leaseDurationSeconds ?? 15) * 1000;
  const renewMs = options.renewIntervalMs ?? 5000;
  const retryMs = options.retryIntervalMs ?? 2000;
  let leading = false;
  let renewedAt = 0;
  let transitions = 0;
  /** The last record seen held by someone else, and when (our clock) it last changed. */
  let observed: { holder: string; renewTime: string | undefined; at: number } | undefined;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> | undefined;
  let stopped = true;

  const isLeader = () => leading && Date.now() - renewedAt < durationMs;
  const setLeading = (value: boolean) => {
    if (value === leading) return;
    leading = value;
    onEvent({ type: 'leader', leading: value, identity });
  };
  const write = (acquire: boolean) => {
    const at = new Date();
    return {
      holderIdentity: identity,
      leaseDurationSeconds: durationMs / 1000,
      ...(acquire ? { acquireTime: at } : {}),
      renewTime: at,
      leaseTransitions: transitions,
    };
  };

  async function tryAcquireOrRenew(): Promise<void> {
    const lease = await client.readLease(namespace, name);
    const now = Date.now();
    if (!lease) {
      transitions = 0;
      await client.createLease(namespace, name, write(true));
      renewedAt = now;
      return setLeading(true);
    }
    transitions = lease.leaseTransitions ?? 0;
    const holder = lease.holderIdentity ?? '';
    if (holder === identity) {
      const acquired =
        leading && lease.acquireTime !== undefined
          ? { acquireTime: new Date(lease.acquireTime) }
          : {};
      await client.replaceLease(namespace, name, {
        ...write(!leading),
        ...acquired,
        resourceVersion: lease.resourceVersion ?? '',
      });
      renewedAt = now;
      return setLeading(true);
    }
    setLeading(false);
    if (!observed || observed.holder !== holder || observed.renewTime !== lease.renewTime) {
      observed = { holder, renewTime: lease.renewTime, at: now };
    }
    const duration = (lease.leaseDurationSeconds ?? durationMs / 1000) * 1000;
    if (holder !== '' && now - observed.at < duration) return;
    transitions += 1;
    await client.replaceLease(namespace, name, {
      ...write(true),
      resourceVersion: lease.resourceVersion ?? '',
    });
    renewedAt = now;
    setLeading(true);
  }

  async function tick(): Promise<void> {
    try {
      await tryAcquireOrRenew();
    } catch (error) {
      // 409: another replica wrote first; we read the Lease again on the next tick.
      if (httpStatusOf(error) !== 409) onEvent({ type: 'lease-error', error });
    }
    if (leading && !isLeader()) setLeading(false);
    if (!stopped) timer = setTimeout(run, leading ? renewMs : retryMs);
  }

  function run() {
    timer = undefined;
    current = tick();
  }

  return {
    isLeader,
    start() {
      if (!stopped) return;
      stopped = false;
      run();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
      if (!leading) return;
      setLeading(false);
      try {
        const lease: LeaseRecord | undefined = await client.readLease(namespace, name);
        if (lease?.holderIdentity !== identity) return;
        // As client-go's ReleaseOnCancel: an empty holder lets the next candidate take over now.
        await client.replaceLease(namespace, name, {
          holderIdentity: '',
          leaseDurationSeconds: 1,
          renewTime: new Date(),
          leaseTransitions: transitions,
          resourceVersion: lease.resourceVersion ?? '',
        });
      } catch (error) {
        onEvent({ type: 'lease-error', error });
      }
    },
  };
}
