/**
 * Which Gateway `routes`, `explain` and `graph` show. Written here until the files package's
 * `selectGateway` (used by `serve`) is in this branch; the two are to become one.
 */

export interface GatewayKey {
  readonly namespace: string;
  readonly name: string;
}

export type GatewayChoice =
  | { readonly ok: true; readonly gateway?: GatewayKey }
  | {
      readonly ok: false;
      readonly code: 'unknown-gateway' | 'gateway-ambiguous';
      readonly message: string;
      readonly gateways: readonly GatewayKey[];
    };

/**
 * Which Gateway a command serves or shows: `wanted` when it is among the objects, else the only
 * one. With several and none wanted there is no safe default (a team folder holding a Gateway of
 * its own must not silently become what is shown), so the choice fails and lists them.
 *
 * @example
 * ```ts
 * const choice = selectGateway(objects, undefined);
 * if (!choice.ok) throw new Error(choice.message);
 * ```
 */
export function selectGateway(objects: readonly unknown[], wanted?: GatewayKey): GatewayChoice {
  const gateways = objects.flatMap(gatewayKeyOf);
  const list = gateways.map((g) => `${g.namespace}/${g.name}`).join(', ');
  if (wanted !== undefined) {
    if (gateways.some((g) => g.namespace === wanted.namespace && g.name === wanted.name))
      return { ok: true, gateway: wanted };
    return {
      ok: false,
      code: 'unknown-gateway',
      message: `--gateway ${wanted.namespace}/${wanted.name}: no such Gateway among the objects (${list === '' ? 'there are none' : `found: ${list}`})`,
      gateways,
    };
  }
  if (gateways.length <= 1)
    return gateways[0] === undefined ? { ok: true } : { ok: true, gateway: gateways[0] };
  return {
    ok: false,
    code: 'gateway-ambiguous',
    message: `${gateways.length} Gateways among the inputs (${list}): choose one with --gateway <namespace/name>`,
    gateways,
  };
}

function gatewayKeyOf(value: unknown): GatewayKey[] {
  if (typeof value !== 'object' || value === null) return [];
  const { kind, metadata } = value as { kind?: unknown; metadata?: unknown };
  if (kind !== 'Gateway' || typeof metadata !== 'object' || metadata === null) return [];
  const { name, namespace } = metadata as { name?: unknown; namespace?: unknown };
  if (typeof name !== 'string' || name === '') return [];
  return [
    { namespace: typeof namespace === 'string' && namespace !== '' ? namespace : 'default', name },
  ];
}
