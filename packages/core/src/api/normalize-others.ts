/**
 * The objects routes refer to: ReferenceGrant (v1 and v1beta1), Service, Namespace, Secret and the
 * kgateway static Backend. Problems are returned as {@link FieldProblem}s, which `normalize` turns
 * into diagnostics; an invalid entry of a list (a grant's `from`, a Service port, a static host)
 * is left out, which can only ever permit or reach less.
 */
import { encodeBase64 } from './base64.js';
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
  type JsonRecord,
  type Limits,
  type Problems,
} from './field-path.js';
import { GROUP, KIND, NAMESPACE, OBJECT_NAME, readTyped, type StringType } from './names.js';
import type {
  NormalizedNamespace,
  NormalizedReferenceGrant,
  NormalizedSecret,
  NormalizedService,
  NormalizedStaticBackend,
  ObjectKey,
} from './normalized.js';

const GRANT_ENTRIES: Limits = { min: 1, max: 16 };
const PORT = { min: 1, max: 65_535 } as const;
const SERVICE_TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'] as const;
/** The label the Kubernetes control plane puts on every Namespace. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Reads `record[key]` as a required string of `type`. */
function requiredTyped(
  record: unknown,
  key: string,
  path: string,
  problems: Problems,
  type: StringType,
) {
  const fieldPath = join(path, key);
  return readRequired(get(record, key), fieldPath, problems, (v) =>
    readTyped(v, fieldPath, problems, type),
  );
}

/** Maps each item of a list, leaving out the items that had problems. */
function readEach<T>(
  value: unknown,
  path: string,
  problems: Problems,
  limits: Limits,
  read: (item: JsonRecord, itemPath: string) => T | undefined,
): T[] {
  const items = readList(value, path, problems, limits) ?? [];
  return defined(
    items.map((item, i) => {
      const itemPath = at(path, i);
      const before = problems.length;
      const record = readItem(item, itemPath, problems);
      const result = record && read(record, itemPath);
      return problems.length > before ? undefined : result;
    }),
  );
}

export function normalizeReferenceGrant(
  raw: JsonRecord,
  key: ObjectKey,
  problems: Problems,
): NormalizedReferenceGrant {
  const spec = readRecord(get(raw, 'spec'), 'spec', problems);
  const from = readEach(get(spec, 'from'), 'spec.from', problems, GRANT_ENTRIES, (entry, path) => {
    const group = requiredTyped(entry, 'group', path, problems, GROUP);
    const kind = requiredTyped(entry, 'kind', path, problems, KIND);
    const namespace = requiredTyped(entry, 'namespace', path, problems, NAMESPACE);
    return group === undefined || kind === undefined || namespace === undefined
      ? undefined
      : { group, kind, namespace };
  });
  const to = readEach(get(spec, 'to'), 'spec.to', problems, GRANT_ENTRIES, (entry, path) => {
    const group = requiredTyped(entry, 'group', path, problems, GROUP);
    const kind = requiredTyped(entry, 'kind', path, problems, KIND);
    const name = readTyped(get(entry, 'name'), join(path, 'name'), problems, OBJECT_NAME);
    if (group === undefined || kind === undefined) return undefined;
    return name === undefined ? { group, kind } : { group, kind, name };
  });
  return { ...key, from, to };
}

/** A Service: its port list is authoritative; `type` defaults to ClusterIP. */
export function normalizeService(
  raw: JsonRecord,
  key: ObjectKey,
  problems: Problems,
): NormalizedService {
  const spec = readRecord(get(raw, 'spec'), 'spec', problems);
  const type = readEnum(get(spec, 'type'), 'spec.type', problems, SERVICE_TYPES) ?? 'ClusterIP';
  const ports = readEach(get(spec, 'ports'), 'spec.ports', problems, {}, (entry, path) => {
    const portPath = join(path, 'port');
    const port = readRequired(get(entry, 'port'), portPath, problems, (v) =>
      readInteger(v, portPath, problems, PORT),
    );
    const name = readString(get(entry, 'name'), join(path, 'name'), problems);
    const appProtocol = readString(get(entry, 'appProtocol'), join(path, 'appProtocol'), problems);
    if (port === undefined) return undefined;
    return {
      port,
      ...(name === undefined ? {} : { name }),
      ...(appProtocol === undefined ? {} : { appProtocol }),
    };
  });
  return { ...key, type, ports };
}

/** A Namespace; `kubernetes.io/metadata.name` is always its name, as the control plane sets it. */
export function normalizeNamespace(
  raw: JsonRecord,
  name: string,
  problems: Problems,
): NormalizedNamespace {
  const labels =
    readStringMap(get(get(raw, 'metadata'), 'labels'), 'metadata.labels', problems) ?? {};
  return {
    name,
    labels: Object.fromEntries([...Object.entries(labels), [NAMESPACE_NAME_LABEL, name]]),
  };
}

/**
 * A Secret. `data` holds base64 values as in the API; `stringData` entries are base64-encoded and
 * merged into it, overriding `data` entries of the same key, as the API server does on write.
 * `type` is '' when omitted.
 */
export function normalizeSecret(
  raw: JsonRecord,
  key: ObjectKey,
  problems: Problems,
): NormalizedSecret {
  const type = readString(get(raw, 'type'), 'type', problems) ?? '';
  const data = readStringMap(get(raw, 'data'), 'data', problems) ?? {};
  const stringData = readStringMap(get(raw, 'stringData'), 'stringData', problems) ?? {};
  const encoded = Object.entries(stringData).map(
    ([name, value]) => [name, encodeBase64(value)] as const,
  );
  const merged = new Map([...Object.entries(data), ...encoded]);
  const sorted = [...merged].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { ...key, type, data: Object.fromEntries(sorted) };
}

/**
 * A kgateway Backend (`gateway.kgateway.dev`). Only `type: Static` carries traffic; any other
 * type gives `undefined` with a problem at `spec.type`.
 */
export function normalizeStaticBackend(
  raw: JsonRecord,
  key: ObjectKey,
  problems: Problems,
): NormalizedStaticBackend | undefined {
  const spec = readRecord(get(raw, 'spec'), 'spec', problems);
  const type = readRequired(get(spec, 'type'), 'spec.type', problems, (v) =>
    readEnum(v, 'spec.type', problems, ['Static']),
  );
  if (type === undefined) return undefined;
  const staticPath = 'spec.static';
  const config = readRequired(get(spec, 'static'), staticPath, problems, (v) =>
    readRecord(v, staticPath, problems),
  );
  const hosts = readEach(
    get(config, 'hosts'),
    join(staticPath, 'hosts'),
    problems,
    { min: 1 },
    (entry, path) => {
      const host = requiredTyped(entry, 'host', path, problems, { min: 1, max: 253 });
      const portPath = join(path, 'port');
      const port = readRequired(get(entry, 'port'), portPath, problems, (v) =>
        readInteger(v, portPath, problems, PORT),
      );
      return host === undefined || port === undefined ? undefined : { host, port };
    },
  );
  const appProtocol = readString(
    get(config, 'appProtocol'),
    join(staticPath, 'appProtocol'),
    problems,
  );
  return { ...key, hosts, ...(appProtocol === undefined ? {} : { appProtocol }) };
}
