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
import { certificateProblem } from './certificates.js';
import { intersectHostname } from './hostnames.js';

export interface ListenerState {
  readonly gateway: NormalizedGateway;
  readonly listener: NormalizedListener;
  /** Serves HTTP traffic (HTTP or HTTPS, not conflicted, valid). */
  readonly serving: boolean;
  /**
   * The listener accepts HTTPRoutes: the kind is allowed and `allowedRoutes` is valid (a
   * malformed namespace selector admits nobody), whatever else is wrong with it.
   */
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
  options: { readonly checkCertificateData?: boolean } = {},
): ListenerState[] {
  return gateway.listeners.map((listener, index) => {
    const problems = gateway.problems.filter((p) => p.path.startsWith(`spec.listeners[${index}]`));
    const conditions: Omit<Condition, 'observedGeneration'>[] = [];
    const httpLike = HTTP_PROTOCOLS.has(listener.protocol);

    const conflict = findConflict(gateway.listeners, listener);
    conditions.push(
      conflict
        ? { type: 'Conflicted', status: 'True', reason: conflict.reason, message: conflict.message }
        : { type: 'Conflicted', status: 'False', reason: 'NoConflicts', message: 'No conflicts' },
    );

    let acceptedReason: string | undefined;
    let acceptedMessage = 'Listener is accepted';
    if (conflict) {
      // G-6/H-11: a conflicted listener must not be accepted; its port stays with the others.
      acceptedReason = 'PortUnavailable';
      acceptedMessage = `${conflict.reason}: ${conflict.message}`;
    } else if (!httpLike) {
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
    const certProblem = certificateProblem(gateway, listener, objects, options);
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

    const overlap = conflict ? undefined : findTlsOverlap(gateway.listeners, listener);
    if (overlap) conditions.push({ type: 'OverlappingTLSConfig', status: 'True', ...overlap });

    const allowedRoutesPath = `spec.listeners[${index}].allowedRoutes`;
    return {
      gateway,
      listener,
      serving,
      allowsHTTPRoute:
        supportedKinds.some((k) => k.kind === 'HTTPRoute') &&
        !problems.some((p) => p.path.startsWith(allowedRoutesPath)),
      supportedKinds,
      conditions,
      attached: new Set<string>(),
    };
  });
}

function findConflict(all: readonly NormalizedListener[], listener: NormalizedListener) {
  for (const other of all) {
    if (other === listener || other.port !== listener.port) continue;
    if (other.protocol !== listener.protocol) {
      return {
        reason: 'ProtocolConflict',
        message: `Listener ${other.name} uses protocol ${other.protocol} on port ${listener.port}`,
      };
    }
    if (other.hostname === listener.hostname) {
      return {
        reason: 'HostnameConflict',
        message: `Listener ${other.name} uses the same port ${listener.port}, protocol and hostname ${listener.hostname ?? '(none)'}`,
      };
    }
  }
  return undefined;
}

const TLS_PROTOCOLS = new Set(['HTTPS', 'TLS']);

/**
 * Listeners terminating TLS on one port whose hostnames overlap (a client may reach either with
 * one connection), or that share a certificate. They stay accepted; the condition warns.
 */
function findTlsOverlap(all: readonly NormalizedListener[], listener: NormalizedListener) {
  if (!TLS_PROTOCOLS.has(listener.protocol)) return undefined;
  const others = all.filter(
    (other) =>
      other !== listener &&
      other.port === listener.port &&
      other.protocol === listener.protocol &&
      other.hostname !== listener.hostname,
  );
  const overlapping = others.filter(
    (other) =>
      other.hostname === undefined ||
      listener.hostname === undefined ||
      intersectHostname(other.hostname, listener.hostname) !== undefined,
  );
  if (overlapping.length > 0) {
    return {
      reason: 'OverlappingHostnames',
      message: `Hostname overlaps with listener ${overlapping.map((o) => o.name).join(', ')} on port ${listener.port}`,
    };
  }
  const refKey = (ref: { namespace: string; name: string }) => `${ref.namespace}/${ref.name}`;
  const own = new Set((listener.tls?.certificateRefs ?? []).map(refKey));
  const sharing = others.filter((other) =>
    (other.tls?.certificateRefs ?? []).some((ref) => own.has(refKey(ref))),
  );
  if (sharing.length > 0) {
    return {
      reason: 'OverlappingCertificates',
      message: `Shares a certificate with listener ${sharing.map((o) => o.name).join(', ')} on port ${listener.port}`,
    };
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

export function renderGatewayStatus(
  gateway: NormalizedGateway,
  states: readonly ListenerState[],
): GatewayStatus {
  const observedGeneration = gateway.generation;
  const anyInvalid = states.some((s) => !s.serving);
  const noneServing = states.every((s) => !s.serving);
  // G-6: the Gateway stays accepted while some listener is; with none left it is not.
  const noneAccepted = states.every((s) =>
    s.conditions.some((c) => c.type === 'Accepted' && c.status === 'False'),
  );
  return {
    kind: 'Gateway',
    namespace: gateway.namespace,
    name: gateway.name,
    conditions: [
      {
        type: 'Accepted',
        status: noneAccepted ? 'False' : 'True',
        reason: anyInvalid ? 'ListenersNotValid' : 'Accepted',
        message: anyInvalid ? 'Some listeners are not valid' : 'Gateway is accepted',
        observedGeneration,
      },
      {
        type: 'Programmed',
        status: noneServing ? 'False' : 'True',
        reason: noneServing ? 'Invalid' : 'Programmed',
        message: noneServing ? 'No listener can be served' : 'Gateway is programmed',
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
