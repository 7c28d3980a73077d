/**
 * The status of the Gateway this source serves: its conditions and, per listener, the attached
 * route count, supported kinds and conditions. We own that Gateway, so these fields are replaced
 * whole; `addresses` too when the source knows them; anything else in the status is kept.
 */
import type { GatewayStatus } from '@switchyard/core';
import { asList, asRecord, conditionsKey, withTransitionTimes } from './conditions.js';
import type { GatewayAddress } from './gateway-addresses.js';

export interface MergedGatewayStatus {
  readonly status: Readonly<Record<string, unknown>>;
  readonly changed: boolean;
}

/**
 * @example
 * ```ts
 * const { status, changed } = mergeGatewayStatus(gateway.status, compiled.gateways[0], now);
 * ```
 */
export function mergeGatewayStatus(
  current: unknown,
  desired: GatewayStatus,
  now: string,
  /** Replaces `status.addresses`; undefined keeps what is there. */
  addresses?: readonly GatewayAddress[],
): MergedGatewayStatus {
  const existing = asRecord(current);
  const existingListeners = asList(existing['listeners']).map(asRecord);
  const listeners = desired.listeners.map((listener) => {
    const previous = existingListeners.find((l) => l['name'] === listener.name);
    return {
      name: listener.name,
      supportedKinds: listener.supportedKinds.map((kind) => ({ ...kind })),
      attachedRoutes: listener.attachedRoutes,
      conditions: withTransitionTimes(listener.conditions, asList(previous?.['conditions']), now),
    };
  });
  const status = {
    ...existing,
    ...(addresses === undefined ? {} : { addresses: addresses.map((a) => ({ ...a })) }),
    conditions: withTransitionTimes(desired.conditions, asList(existing['conditions']), now),
    listeners,
  };
  return { status, changed: gatewayKey(existing) !== gatewayKey(status) };
}

function gatewayKey(status: Readonly<Record<string, unknown>>): string {
  return JSON.stringify([
    asList(status['addresses'])
      .map(asRecord)
      .map((a) => [a['type'], a['value']]),
    conditionsKey(asList(status['conditions'])),
    asList(status['listeners'])
      .map(asRecord)
      .map((l) => [
        l['name'],
        l['attachedRoutes'],
        asList(l['supportedKinds'])
          .map(asRecord)
          .map((k) => [k['group'], k['kind']]),
        conditionsKey(asList(l['conditions'])),
      ]),
  ]);
}
