/**
 * Gateway listeners: which can serve HTTPRoutes, their conflicts and references, and the
 * listener part of the Gateway status (attachedRoutes is filled in after attachment).
 */
import type {
  NormalizedGateway,
  NormalizedListener,
  NormalizedObjects,
} from '../api/normalized.js';
import { GATEWAY_GROUP } from '../api/objects.js';
import type { Condition, GatewayStatus } from '../status.js';
import { grantAllows } from './grants.js';

export interface ListenerState {
  readonly gateway: NormalizedGateway;
  readonly listener: NormalizedListener;
  /** Serves HTTP traffic (HTTP or HTTPS, not conflicted, valid). */
  readonly serving: boolean;
  /** The listener accepts HTTPRoutes (kind allowed), whatever else is wrong with it. */
  readonly allowsHTTPRoute: boolean;
  readonly supportedKinds: readonly { group: string; kind: string }[];
  readonly conditions: readonly Omit<Condition, 'observedGeneration'>[];
  /** Keys of Accepted routes attached here. */
  readonly attached: Set<string>;
}

const HTTP_PROTOCOLS = new Set(['HTTP', 'HTTPS']);

export function evaluateListeners(
  gateway: NormalizedGateway,
  objects: NormalizedObjects,
): ListenerState[] {
  return gateway.listeners.map((listener, index) => {
    const problems = gateway.problems.filter((p) => p.path.startsWith(`spec.listeners[${index}]`));
    const conditions: Omit<Condition, 'observedGeneration'>[] = [];
    const httpLike = HTTP_PROTOCOLS.has(listener.protocol);

    const conflict = findConflict(gateway.listeners, listener);
    conditions.push(
      conflict
        ? {
            type: 'Conflicted',
            status: 'True',
            reason: conflict,
            message: `Listener conflicts with another listener on port ${listener.port}`,
          }
        : { type: 'Conflicted', status: 'False', reason: 'NoConflicts', message: 'No conflicts' },
    );

    let acceptedReason: string | undefined;
    let acceptedMessage = 'Listener is accepted';
    if (!httpLike) {
      acceptedReason = 'UnsupportedProtocol';
      acceptedMessage = `Protocol ${listener.protocol} is not supported; only HTTP and HTTPS`;
    } else if (problems.length > 0) {
      acceptedReason = 'UnsupportedValue';
      acceptedMessage = problems.map((p) => `${p.path}: ${p.message}`).join('; ');
    }
    conditions.push(
      acceptedReason
        ? { type: 'Accepted', status: 'False', reason: acceptedReason, message: acceptedMessage }
        : { type: 'Accepted', status: 'True', reason: 'Accepted', message: acceptedMessage },
    );

    const { supportedKinds, invalidKinds } = routeKinds(listener, httpLike);
    // A listener without its certificate cannot terminate TLS: not programmed, yet routes still
    // attach and count.
    const certProblem = certificateProblem(gateway, listener, objects);
    const refProblem =
      invalidKinds.length > 0
        ? {
            reason: 'InvalidRouteKinds',
            message: `Unsupported route kinds: ${invalidKinds.join(', ')}`,
          }
        : certProblem;
    conditions.push(
      refProblem
        ? {
            type: 'ResolvedRefs',
            status: 'False',
            reason: refProblem.reason,
            message: refProblem.message,
          }
        : {
            type: 'ResolvedRefs',
            status: 'True',
            reason: 'ResolvedRefs',
            message: 'All references are resolved',
          },
    );

    const serving = httpLike && !conflict && !acceptedReason && !certProblem;
    conditions.push(
      serving
        ? {
            type: 'Programmed',
            status: 'True',
            reason: 'Programmed',
            message: 'Listener is programmed',
          }
        : {
            type: 'Programmed',
            status: 'False',
            reason: 'Invalid',
            message: 'Listener is not programmed',
          },
    );

    return {
      gateway,
      listener,
      serving,
      allowsHTTPRoute: supportedKinds.some((k) => k.kind === 'HTTPRoute'),
      supportedKinds,
      conditions,
      attached: new Set<string>(),
    };
  });
}

function findConflict(all: readonly NormalizedListener[], listener: NormalizedListener) {
  for (const other of all) {
    if (other === listener || other.port !== listener.port) continue;
    if (other.protocol !== listener.protocol) return 'ProtocolConflict';
    if (other.hostname === listener.hostname) return 'HostnameConflict';
  }
  return undefined;
}

function routeKinds(listener: NormalizedListener, httpLike: boolean) {
  const requested = listener.allowedRoutes.kinds;
  if (requested === undefined) {
    return {
      supportedKinds: httpLike ? [{ group: GATEWAY_GROUP, kind: 'HTTPRoute' }] : [],
      invalidKinds: [],
    };
  }
  const supportedKinds: { group: string; kind: string }[] = [];
  const invalidKinds: string[] = [];
  for (const kind of requested) {
    if (httpLike && kind.group === GATEWAY_GROUP && kind.kind === 'HTTPRoute')
      supportedKinds.push(kind);
    else invalidKinds.push(`${kind.group}/${kind.kind}`);
  }
  return { supportedKinds, invalidKinds };
}

function certificateProblem(
  gateway: NormalizedGateway,
  listener: NormalizedListener,
  objects: NormalizedObjects,
) {
  if (listener.protocol !== 'HTTPS' || !listener.tls) return undefined;
  for (const ref of listener.tls.certificateRefs) {
    const target = `${ref.group}/${ref.kind} ${ref.namespace}/${ref.name}`;
    if (ref.group !== '' || ref.kind !== 'Secret') {
      return {
        reason: 'InvalidCertificateRef',
        message: `${target}: only core Secrets are supported`,
      };
    }
    if (ref.namespace !== gateway.namespace) {
      const from = { group: GATEWAY_GROUP, kind: 'Gateway', namespace: gateway.namespace };
      if (!grantAllows(objects, from, ref)) {
        return {
          reason: 'RefNotPermitted',
          message: `${target}: not permitted by any ReferenceGrant`,
        };
      }
    }
    const secret = objects.secrets.get(`${ref.namespace}/${ref.name}`);
    if (!secret || (secret.type !== '' && secret.type !== 'kubernetes.io/tls')) {
      return {
        reason: 'InvalidCertificateRef',
        message: `${target}: no such kubernetes.io/tls Secret`,
      };
    }
  }
  return undefined;
}

export function renderGatewayStatus(
  gateway: NormalizedGateway,
  states: readonly ListenerState[],
): GatewayStatus {
  const observedGeneration = gateway.generation;
  const anyInvalid = states.some((s) => !s.serving);
  return {
    kind: 'Gateway',
    namespace: gateway.namespace,
    name: gateway.name,
    conditions: [
      {
        type: 'Accepted',
        status: 'True',
        reason: anyInvalid ? 'ListenersNotValid' : 'Accepted',
        message: anyInvalid ? 'Some listeners are not valid' : 'Gateway is accepted',
        observedGeneration,
      },
      {
        type: 'Programmed',
        status: 'True',
        reason: 'Programmed',
        message: 'Gateway is programmed',
        observedGeneration,
      },
    ],
    listeners: states.map((state) => ({
      name: state.listener.name,
      attachedRoutes: state.attached.size,
      supportedKinds: state.supportedKinds,
      conditions: state.conditions.map((c) => ({ ...c, observedGeneration })),
    })),
  };
}
