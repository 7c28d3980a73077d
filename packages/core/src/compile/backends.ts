/**
 * Backend references (B-1..B-8, RG-1..RG-6, decision 1): Services and kgateway static
 * Backends, checked for kind, ReferenceGrant and existence, in that order so that a message
 * for a reference that is not permitted never reveals whether the target exists (RG-5).
 */
import type {
  NormalizedBackendObjectRef,
  NormalizedObjects,
  NormalizedRoute,
} from '../api/normalized.js';
import { GATEWAY_GROUP, KGATEWAY_GROUP } from '../api/objects.js';
import type { StaticAddress } from '../decision.js';
import { grantAllows } from './grants.js';
import type { UnresolvedReason } from './status-book.js';

export interface ResolvedTarget {
  readonly port: number;
  readonly appProtocol?: string;
  readonly address?: StaticAddress;
}

export type TargetResult =
  | { readonly ok: true; readonly target: ResolvedTarget }
  | { readonly ok: false; readonly reason: UnresolvedReason; readonly message: string };

const TLS_APP_PROTOCOLS = new Set(['https', 'tls', 'kubernetes.io/https']);

export function describeBackendRef(ref: NormalizedBackendObjectRef): string {
  const kind = ref.group === '' ? ref.kind : `${ref.group}/${ref.kind}`;
  return `${kind} ${ref.namespace}/${ref.name}${ref.port !== undefined ? `:${ref.port}` : ''}`;
}

export function resolveBackendTarget(
  route: NormalizedRoute,
  ref: NormalizedBackendObjectRef,
  objects: NormalizedObjects,
): TargetResult {
  // Only failures describe the reference: building that text for every one showed in profiles.
  const isService = ref.group === '' && ref.kind === 'Service';
  const isStatic = ref.group === KGATEWAY_GROUP && ref.kind === 'Backend';
  if (!isService && !isStatic) {
    return {
      ok: false,
      reason: 'InvalidKind',
      message: `${describeBackendRef(ref)}: unsupported backend kind`,
    };
  }
  const from = { group: GATEWAY_GROUP, kind: 'HTTPRoute', namespace: route.namespace };
  if (!grantAllows(objects, from, ref)) {
    return {
      ok: false,
      reason: 'RefNotPermitted',
      message: `${describeBackendRef(ref)}: cross-namespace reference not permitted by any ReferenceGrant`,
    };
  }
  const key = `${ref.namespace}/${ref.name}`;
  if (isService) {
    const service = objects.services.get(key);
    if (!service)
      return {
        ok: false,
        reason: 'BackendNotFound',
        message: `${describeBackendRef(ref)}: Service not found`,
      };
    if (service.type === 'ExternalName') {
      return {
        ok: false,
        reason: 'BackendNotFound',
        message: `${describeBackendRef(ref)}: ExternalName Services are not supported`,
      };
    }
    const port = service.ports.find((p) => p.port === ref.port);
    if (!port || ref.port === undefined) {
      return {
        ok: false,
        reason: 'BackendNotFound',
        message: `${describeBackendRef(ref)}: the Service has no such port`,
      };
    }
    return {
      ok: true,
      target: { port: port.port, ...(port.appProtocol ? { appProtocol: port.appProtocol } : {}) },
    };
  }
  const backend = objects.backends.get(key);
  if (!backend || backend.hosts.length === 0) {
    return {
      ok: false,
      reason: 'BackendNotFound',
      message: `${describeBackendRef(ref)}: Backend not found or has no static hosts`,
    };
  }
  const port = ref.port ?? backend.hosts[0]!.port;
  const tls =
    port === 443 ||
    (backend.appProtocol !== undefined && TLS_APP_PROTOCOLS.has(backend.appProtocol));
  return {
    ok: true,
    target: {
      port,
      ...(backend.appProtocol ? { appProtocol: backend.appProtocol } : {}),
      address: { hosts: backend.hosts, tls },
    },
  };
}
