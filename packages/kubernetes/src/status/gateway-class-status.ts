/**
 * The status of a GatewayClass whose `spec.controllerName` is ours: `Accepted` (we serve Gateways
 * of this class) and `SupportedVersion`, which gateway-api (apis/v1/gatewayclass_types.go) requires
 * whenever `Accepted` is set: True when the installed Gateway API CRDs carry a
 * `gateway.networking.k8s.io/bundle-version` annotation this release supports, False with reason
 * `UnsupportedVersion` when it is missing or not recognised. Other condition types (written by
 * someone else) are kept.
 */
import type { Condition } from '@switchyard/core';
import { asList, asRecord, conditionsKey, withTransitionTimes } from './conditions.js';

/** The annotation every Gateway API CRD carries with the release it came from. */
export const BUNDLE_VERSION_ANNOTATION = 'gateway.networking.k8s.io/bundle-version';

/** The CRD whose annotation is read (every CRD of one release carries the same one). */
export const GATEWAY_CLASS_CRD = 'gatewayclasses.gateway.networking.k8s.io';

/** Gateway API v1.x: the standard-channel objects Switchyard reads exist at `v1` from v1.0.0 on. */
const SUPPORTED_BUNDLE = /^v1\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

/** What was learnt about the installed CRDs: their bundle version, or why it is unknown. */
export type BundleVersion = { readonly version: string | undefined } | { readonly error: string };

/**
 * @example
 * ```ts
 * gatewayClassConditions(3, { version: 'v1.2.1' })
 * // [{ type: 'Accepted', status: 'True', ... }, { type: 'SupportedVersion', status: 'True', ... }]
 * ```
 */
export function gatewayClassConditions(
  generation: number | undefined,
  bundle: BundleVersion,
): Condition[] {
  const observed = generation === undefined ? {} : { observedGeneration: generation };
  const accepted: Condition = {
    type: 'Accepted',
    status: 'True',
    reason: 'Accepted',
    message: 'Gateways of this class are served by Switchyard',
    ...observed,
  };
  const supported: Condition =
    'error' in bundle
      ? {
          type: 'SupportedVersion',
          status: 'False',
          reason: 'UnsupportedVersion',
          message: `could not read the ${BUNDLE_VERSION_ANNOTATION} annotation of ${GATEWAY_CLASS_CRD}: ${bundle.error}`,
          ...observed,
        }
      : bundle.version === undefined
        ? {
            type: 'SupportedVersion',
            status: 'False',
            reason: 'UnsupportedVersion',
            message: `${GATEWAY_CLASS_CRD} has no ${BUNDLE_VERSION_ANNOTATION} annotation; supported: v1.x`,
            ...observed,
          }
        : SUPPORTED_BUNDLE.test(bundle.version)
          ? {
              type: 'SupportedVersion',
              status: 'True',
              reason: 'SupportedVersion',
              message: `Gateway API ${bundle.version} is supported`,
              ...observed,
            }
          : {
              type: 'SupportedVersion',
              status: 'False',
              reason: 'UnsupportedVersion',
              message: `Gateway API ${bundle.version} is not supported; supported: v1.x`,
              ...observed,
            };
  return [accepted, supported];
}

export interface MergedGatewayClassStatus {
  readonly status: Readonly<Record<string, unknown>>;
  readonly changed: boolean;
}

/** Our two conditions replaced (times kept when unchanged), every other condition kept. */
export function mergeGatewayClassStatus(
  current: unknown,
  desired: readonly Condition[],
  now: string,
): MergedGatewayClassStatus {
  const existing = asRecord(current);
  const conditions = asList(existing['conditions']);
  const ours = new Set(desired.map((c) => c.type));
  const kept = conditions.filter((c) => !ours.has(String(asRecord(c)['type'])));
  const previous = desired
    .map((d) => conditions.find((c) => asRecord(c)['type'] === d.type))
    .filter((c) => c !== undefined);
  const written = withTransitionTimes(desired, previous, now);
  const status = { ...existing, conditions: [...kept, ...written] };
  return { status, changed: conditionsKey(previous) !== conditionsKey(written) };
}
