/**
 * Object references: BackendObjectReference (D-5, C-34), SecretObjectReference (listener
 * certificates) and ParentReference (D-6, C-38, C-39).
 */
import {
  at,
  defined,
  get,
  has,
  join,
  readInteger,
  readItem,
  readList,
  readRequired,
  report,
  type Problems,
} from './field-path.js';
import { GROUP, KIND, NAMESPACE, OBJECT_NAME, SECTION_NAME, readTyped } from './names.js';
import type { NormalizedBackendObjectRef, NormalizedParentRef } from './normalized.js';
import { GATEWAY_GROUP } from './objects.js';

const MAX_PARENT_REFS = 32;
const PORT = { min: 1, max: 65_535 } as const;

export interface RefDefaults {
  /** The namespace of the referring object, used when `namespace` is omitted. */
  readonly namespace: string;
  readonly group: string;
  readonly kind: string;
}

/**
 * A `{group, kind, namespace, name, port}` reference with `defaults` filled in; `undefined` when
 * it has problems.
 */
export function normalizeObjectRef(
  value: unknown,
  path: string,
  problems: Problems,
  defaults: RefDefaults,
): NormalizedBackendObjectRef | undefined {
  const record = readItem(value, path, problems);
  if (!record) return undefined;
  const before = problems.length;
  const group =
    readTyped(get(record, 'group'), join(path, 'group'), problems, GROUP) ?? defaults.group;
  const kind = readTyped(get(record, 'kind'), join(path, 'kind'), problems, KIND) ?? defaults.kind;
  const namePath = join(path, 'name');
  const name = readRequired(get(record, 'name'), namePath, problems, (v) =>
    readTyped(v, namePath, problems, OBJECT_NAME),
  );
  const namespace =
    readTyped(get(record, 'namespace'), join(path, 'namespace'), problems, NAMESPACE) ??
    defaults.namespace;
  const port = readInteger(get(record, 'port'), join(path, 'port'), problems, PORT);
  if (name === undefined || problems.length > before) return undefined;
  return port === undefined
    ? { group, kind, namespace, name }
    : { group, kind, namespace, name, port };
}

/**
 * A BackendObjectReference (backendRefs, mirror targets): D-5 defaults and C-34. Delegation refs
 * (`gateway.networking.k8s.io/HTTPRoute`, `delegation.kgateway.dev/label`) need no port.
 */
export function normalizeBackendObjectRef(
  value: unknown,
  path: string,
  problems: Problems,
  namespace: string,
): NormalizedBackendObjectRef | undefined {
  const ref = normalizeObjectRef(value, path, problems, { namespace, group: '', kind: 'Service' });
  if (ref && ref.group === '' && ref.kind === 'Service' && !has(value, 'port')) {
    report(problems, path, 'Must have port for Service reference');
    return undefined;
  }
  return ref;
}

/** What C-38/C-39 compare: the defaulted group and kind, but the namespace as written. */
interface ParentIdentity {
  readonly parent: string;
  readonly sectionName?: string;
  readonly port?: number;
}

function parentIdentity(value: unknown, ref: NormalizedParentRef): ParentIdentity {
  const written = get(value, 'namespace');
  const parent = JSON.stringify([ref.group, ref.kind, ref.name, written ?? '']);
  return {
    parent,
    ...(ref.sectionName ? { sectionName: ref.sectionName } : {}),
    ...(ref.port ? { port: ref.port } : {}),
  };
}

/**
 * C-38 and C-39: references to the same parent must agree on whether `sectionName` (and, for
 * the experimental `port`, whether `port`) is set, and be unique. Without `port` this is exactly
 * the standard CRD's rule and message; with it, the experimental CRD's.
 */
function checkDistinctParents(
  identities: readonly ParentIdentity[],
  path: string,
  problems: Problems,
): void {
  let inconsistent = false;
  let repeated = false;
  let usesPort = false;
  for (const a of identities) {
    for (const b of identities) {
      if (a === b || a.parent !== b.parent) continue;
      usesPort ||= a.port !== undefined || b.port !== undefined;
      const sameShape =
        (a.sectionName === undefined) === (b.sectionName === undefined) &&
        (a.port === undefined) === (b.port === undefined);
      if (!sameShape) inconsistent = true;
      else if (a.sectionName === b.sectionName && a.port === b.port) repeated = true;
    }
  }
  const subject = usesPort ? 'sectionName or port' : 'sectionName';
  const same = 'when parentRefs includes 2 or more references to the same parent';
  if (inconsistent) report(problems, path, `${subject} must be specified ${same}`);
  if (repeated) report(problems, path, `${subject} must be unique ${same}`);
}

/**
 * `spec.parentRefs` with D-6 defaults; invalid entries are reported and left out.
 *
 * @example
 * normalizeParentRefs([{ name: 'gw' }], 'spec.parentRefs', problems, 'apps')
 * // [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'apps', name: 'gw' }]
 */
export function normalizeParentRefs(
  value: unknown,
  path: string,
  problems: Problems,
  namespace: string,
): NormalizedParentRef[] {
  const items = readList(value, path, problems, { max: MAX_PARENT_REFS }) ?? [];
  const identities: ParentIdentity[] = [];
  const refs = items.map((item, i) => {
    const itemPath = at(path, i);
    const before = problems.length;
    const base = normalizeObjectRef(item, itemPath, problems, {
      namespace,
      group: GATEWAY_GROUP,
      kind: 'Gateway',
    });
    const sectionPath = join(itemPath, 'sectionName');
    const sectionName = readTyped(get(item, 'sectionName'), sectionPath, problems, SECTION_NAME);
    if (!base || problems.length > before) return undefined;
    const ref: NormalizedParentRef = {
      group: base.group,
      kind: base.kind,
      namespace: base.namespace,
      name: base.name,
      ...(sectionName === undefined ? {} : { sectionName }),
      ...(base.port === undefined ? {} : { port: base.port }),
    };
    identities.push(parentIdentity(item, ref));
    return ref;
  });
  checkDistinctParents(identities, path, problems);
  return defined(refs);
}
