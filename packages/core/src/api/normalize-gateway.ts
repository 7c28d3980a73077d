/**
 * Gateway → {@link NormalizedGateway}: listeners with their defaults (D-8, TLS mode Terminate,
 * certificateRefs group '' kind Secret), structural limits and the listener CEL rules. Every
 * authored listener is listed at its authored position, problems or not, so that
 * `problems[].path` (`spec.listeners[i]...`) indexes `listeners`; `compile` decides what a
 * listener with problems means. Required fields that are unusable read as '' or port 0.
 */
import {
  at,
  defined,
  get,
  join,
  readEnum,
  readInteger,
  readItem,
  readList,
  readRecord,
  readRequired,
  readString,
  readStringMap,
  report,
  type JsonRecord,
  type Problems,
} from './field-path.js';
import { readHostname } from './hostname.js';
import { PROTOCOL, SECTION_NAME, readTyped } from './names.js';
import { normalizeAllowedRoutes } from './normalize-allowed-routes.js';
import type { NormalizedGateway, NormalizedListener, ObjectKey } from './normalized.js';
import { readGeneration } from './normalize-route.js';
import { normalizeObjectRef } from './validate-object-refs.js';

const MAX_LISTENERS = 64;
const MAX_CERTIFICATE_REFS = 64;
const TLS_MODES = ['Terminate', 'Passthrough'] as const;
const NO_TLS = ['HTTP', 'TCP', 'UDP'];
const NO_HOSTNAME = ['TCP', 'UDP'];

function normalizeListenerTls(
  value: unknown,
  path: string,
  problems: Problems,
  namespace: string,
): { tls: NonNullable<NormalizedListener['tls']>; hasOptions: boolean } | undefined {
  const record = readRecord(value, path, problems);
  if (!record) return undefined;
  const mode =
    readEnum(get(record, 'mode'), join(path, 'mode'), problems, TLS_MODES) ?? 'Terminate';
  const refsPath = join(path, 'certificateRefs');
  const items =
    readList(get(record, 'certificateRefs'), refsPath, problems, { max: MAX_CERTIFICATE_REFS }) ??
    [];
  const defaults = { namespace, group: '', kind: 'Secret' };
  const certificateRefs = defined(
    items.map((item, i) => normalizeObjectRef(item, at(refsPath, i), problems, defaults)),
  );
  const options = readStringMap(get(record, 'options'), join(path, 'options'), problems) ?? {};
  const hasOptions = Object.keys(options).length > 0;
  if (mode === 'Terminate' && items.length === 0 && !hasOptions) {
    report(problems, path, 'certificateRefs or options must be specified when mode is Terminate');
  }
  return { tls: { mode, certificateRefs }, hasOptions };
}

/** The per-listener CEL rules of gateway_types.go:L246-251, plus "HTTPS needs tls" (G-2). */
function checkListener(listener: NormalizedListener, path: string, problems: Problems): void {
  const { protocol, tls } = listener;
  if (tls && NO_TLS.includes(protocol)) {
    report(
      problems,
      join(path, 'tls'),
      "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']",
    );
  }
  if (protocol === 'HTTPS' && !tls)
    report(problems, join(path, 'tls'), 'tls must be specified for protocol HTTPS');
  if (protocol === 'HTTPS' && tls && tls.mode !== 'Terminate') {
    report(problems, join(path, 'tls.mode'), 'tls mode must be Terminate for protocol HTTPS');
  }
  if (protocol === 'TLS' && !tls)
    report(problems, join(path, 'tls'), 'tls mode must be set for protocol TLS');
  if (listener.hostname !== undefined && NO_HOSTNAME.includes(protocol)) {
    report(
      problems,
      join(path, 'hostname'),
      "hostname must not be specified for protocols ['TCP', 'UDP']",
    );
  }
}

function normalizeListener(
  value: unknown,
  path: string,
  problems: Problems,
  namespace: string,
): NormalizedListener {
  const record = readItem(value, path, problems);
  const fallback: NormalizedListener = {
    name: '',
    port: 0,
    protocol: '',
    allowedRoutes: { from: 'Same' },
  };
  if (!record) return fallback;
  const field = <T>(key: string, read: (v: unknown, p: string) => T | undefined): T | undefined => {
    const fieldPath = join(path, key);
    return readRequired(get(record, key), fieldPath, problems, (v) => read(v, fieldPath));
  };
  const name = field('name', (v, p) => readTyped(v, p, problems, SECTION_NAME)) ?? '';
  const port = field('port', (v, p) => readInteger(v, p, problems, { min: 1, max: 65_535 })) ?? 0;
  const protocol = field('protocol', (v, p) => readTyped(v, p, problems, PROTOCOL)) ?? '';
  const hostname = readHostname(get(record, 'hostname'), join(path, 'hostname'), problems, true);
  const tls = normalizeListenerTls(get(record, 'tls'), join(path, 'tls'), problems, namespace)?.tls;
  const allowedRoutes = normalizeAllowedRoutes(
    get(record, 'allowedRoutes'),
    join(path, 'allowedRoutes'),
    problems,
  );
  const listener: NormalizedListener = {
    name,
    port,
    protocol,
    allowedRoutes,
    ...(hostname === undefined ? {} : { hostname }),
    ...(tls === undefined ? {} : { tls }),
  };
  checkListener(listener, path, problems);
  return listener;
}

/**
 * Unique names, and unique port + protocol + hostname; reported on the later listener. Listeners
 * whose name, port or protocol was unusable are already reported and not compared.
 */
function checkListenerSet(listeners: readonly NormalizedListener[], problems: Problems): void {
  listeners.forEach((listener, i) => {
    const earlier = listeners.slice(0, i);
    if (listener.name !== '' && earlier.some((other) => other.name === listener.name)) {
      report(
        problems,
        join(at('spec.listeners', i), 'name'),
        'Listener name must be unique within the Gateway',
      );
    }
    const same = (other: NormalizedListener): boolean =>
      other.port === listener.port &&
      other.protocol === listener.protocol &&
      other.hostname === listener.hostname;
    const usable = listener.port !== 0 && listener.protocol !== '';
    if (usable && earlier.some(same)) {
      report(
        problems,
        at('spec.listeners', i),
        'Combination of port, protocol and hostname must be unique for each listener',
      );
    }
  });
}

/**
 * Normalises one Gateway whose kind, namespace and name `normalize` has already read.
 *
 * @example
 * normalizeGateway({ spec: { listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] } }, { namespace: 'infra', name: 'gw' })
 * // listeners: [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { from: 'Same' } }], problems: []
 */
export function normalizeGateway(raw: JsonRecord, key: ObjectKey): NormalizedGateway {
  const { namespace, name } = key;
  const problems: Problems = [];
  const spec = readRecord(get(raw, 'spec'), 'spec', problems) ?? {};
  readString(get(spec, 'gatewayClassName'), 'spec.gatewayClassName', problems);
  const items =
    readRequired(get(spec, 'listeners'), 'spec.listeners', problems, (v) =>
      readList(v, 'spec.listeners', problems, { min: 1, max: MAX_LISTENERS }),
    ) ?? [];
  const listeners = items.map((item, i) =>
    normalizeListener(item, at('spec.listeners', i), problems, namespace),
  );
  checkListenerSet(listeners, problems);
  return {
    namespace,
    name,
    key: `${namespace}/${name}`,
    generation: readGeneration(get(raw, 'metadata')),
    listeners,
    problems,
  };
}
