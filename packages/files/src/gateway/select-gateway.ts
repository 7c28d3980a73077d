/**
 * Which Gateway a command works on, as data. `serve` fixes it once at start so that a reload can
 * never switch traffic to a Gateway some team's folder declares; `routes`, `explain` and `graph`
 * use the same choice so that every command agrees on what "the Gateway" is.
 */

export interface GatewayKey {
  readonly namespace: string;
  readonly name: string;
}

export type GatewayChoice =
  | {
      readonly ok: true;
      readonly gateway: GatewayKey;
      /** Every Gateway among the objects, sorted. */
      readonly among: readonly GatewayKey[];
      /** Whether the caller named it (`wanted`) or it was the only one. */
      readonly how: 'wanted' | 'only';
    }
  | {
      readonly ok: false;
      /** `none`: no Gateway at all; `ambiguous`: several and none wanted; `not-found`: the wanted one is absent. */
      readonly reason: 'none' | 'ambiguous' | 'not-found';
      readonly wanted?: GatewayKey;
      readonly among: readonly GatewayKey[];
      /** One sentence saying what is wrong and what to do. */
      readonly message: string;
    };

const GATEWAY_GROUP = 'gateway.networking.k8s.io/';

/**
 * The Gateway to serve among `objects` (Kubernetes objects as parsed): `wanted` when it is
 * present, else the only Gateway there is. Never throws.
 *
 * @example
 * ```ts
 * const choice = selectGateway(objects, undefined);
 * if (!choice.ok) throw new Error(choice.message);
 * compile(objects, { gateway: choice.gateway });
 * ```
 */
export function selectGateway(
  objects: readonly unknown[],
  wanted: GatewayKey | undefined,
): GatewayChoice {
  const among = gatewayKeys(objects);
  const list = among.map(keyText).join(', ');
  if (wanted !== undefined) {
    if (among.some((g) => sameGateway(g, wanted)))
      return { ok: true, gateway: wanted, among, how: 'wanted' };
    return {
      ok: false,
      reason: 'not-found',
      wanted,
      among,
      message: `Gateway ${keyText(wanted)} is not among the objects (${among.length === 0 ? 'there are none' : `found: ${list}`})`,
    };
  }
  const [only] = among;
  if (only !== undefined && among.length === 1)
    return { ok: true, gateway: only, among, how: 'only' };
  if (only === undefined)
    return { ok: false, reason: 'none', among, message: 'there is no Gateway among the objects' };
  return {
    ok: false,
    reason: 'ambiguous',
    among,
    message: `there are ${among.length} Gateways (${list}); choose one with --gateway namespace/name`,
  };
}

/** Every Gateway's namespace and name, sorted, each once. */
export function gatewayKeys(objects: readonly unknown[]): GatewayKey[] {
  const keys = new Map<string, GatewayKey>();
  for (const object of objects) {
    if (typeof object !== 'object' || object === null) continue;
    const { apiVersion, kind, metadata } = object as {
      apiVersion?: unknown;
      kind?: unknown;
      metadata?: { name?: unknown; namespace?: unknown };
    };
    if (kind !== 'Gateway' || typeof apiVersion !== 'string') continue;
    if (!apiVersion.startsWith(GATEWAY_GROUP) || typeof metadata?.name !== 'string') continue;
    const namespace =
      typeof metadata.namespace === 'string' && metadata.namespace !== ''
        ? metadata.namespace
        : 'default';
    const key = { namespace, name: metadata.name };
    keys.set(keyText(key), key);
  }
  return [...keys.values()].sort((a, b) => keyText(a).localeCompare(keyText(b)));
}

export function sameGateway(a: GatewayKey, b: GatewayKey): boolean {
  return a.namespace === b.namespace && a.name === b.name;
}

/** `namespace/name`. */
export function keyText(key: GatewayKey): string {
  return `${key.namespace}/${key.name}`;
}
