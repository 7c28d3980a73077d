/**
 * Applying the owners file (delegation.md rule 24's "one team cannot declare another team's
 * objects", in file mode): an object is compiled only when the folder its file is in owns the
 * object's namespace, and a Gateway or GatewayClass only when that folder may declare Gateways.
 * Everything else is refused, not compiled, and reported as data naming the file, the object and
 * the rule. Two files declaring the same object: the first in file order wins among those allowed
 * (the owning folder, since a namespace has one owner), every other is refused.
 */
import type { SourceLocation } from '../load/locate.js';
import type { LocatedObject } from '../load/parse-file.js';
import { ownerEntryOf, type Owners } from './owners-file.js';

export type OwnerRule =
  /** The file is in no folder the owners file names. */
  | 'owners/unowned-folder'
  /** The object's namespace is not one the file's folder owns. */
  | 'owners/namespace'
  /** A Gateway or GatewayClass from a folder without `gateways: true`. */
  | 'owners/gateways'
  /** The same object is declared earlier by a file that is allowed to declare it. */
  | 'owners/duplicate';

export interface ObjectRef {
  readonly kind: string;
  /** `''` for cluster-scoped kinds (Namespace, GatewayClass). */
  readonly namespace: string;
  readonly name: string;
}

/** An object that is not compiled, and why. */
export interface Refusal {
  readonly location: SourceLocation;
  readonly object: ObjectRef;
  readonly rule: OwnerRule;
  /** What is wrong, one sentence, naming the folder and the namespace. */
  readonly message: string;
  /** What to do about it. */
  readonly fix: string;
}

export interface OwnedObjects {
  readonly objects: readonly LocatedObject[];
  readonly refusals: readonly Refusal[];
}

const CLUSTER_SCOPED = new Set(['Namespace', 'GatewayClass']);
const GATEWAY_KINDS = new Set(['Gateway', 'GatewayClass']);

/** Keeps the objects their folders may declare; `owners` undefined keeps everything (no model). */
export function applyOwners(
  objects: readonly LocatedObject[],
  owners: Owners | undefined,
): OwnedObjects {
  if (owners === undefined) return { objects, refusals: [] };
  const kept: LocatedObject[] = [];
  const refusals: Refusal[] = [];
  const declaredBy = new Map<string, SourceLocation>();
  for (const object of objects) {
    const ref = objectRef(object.value);
    if (ref === undefined) {
      kept.push(object); // not an object compile can name: compile reports it, nothing to own
      continue;
    }
    const refusal = refuse(object, ref, owners, declaredBy);
    if (refusal !== undefined) {
      refusals.push(refusal);
      continue;
    }
    declaredBy.set(refText(ref), object.location);
    kept.push(object);
  }
  return { objects: kept, refusals };
}

function refuse(
  object: LocatedObject,
  ref: ObjectRef,
  owners: Owners,
  declaredBy: ReadonlyMap<string, SourceLocation>,
): Refusal | undefined {
  const refusal = (rule: OwnerRule, message: string, fix: string): Refusal => ({
    location: object.location,
    object: ref,
    rule,
    message,
    fix,
  });
  const entry = ownerEntryOf(owners, object.location.file);
  if (entry === undefined)
    return refusal(
      'owners/unowned-folder',
      `${refText(ref)} is in a file no owners entry covers`,
      `move the file into a folder the owners file names, or add an entry for its folder to ${owners.file}`,
    );
  const folder = `folder "${entry.given}"`;
  if (GATEWAY_KINDS.has(ref.kind) && !entry.gateways)
    return refusal(
      'owners/gateways',
      `${refText(ref)}: ${folder} may not declare ${ref.kind}s`,
      `declare the ${ref.kind} in the platform's folder, or set gateways: true for ${folder} in the owners file`,
    );
  // A Namespace object declares the namespace itself; other objects live in one.
  const namespace = ref.kind === 'Namespace' ? ref.name : ref.namespace;
  if (ref.kind !== 'GatewayClass' && !entry.namespaces.includes(namespace))
    return refusal(
      'owners/namespace',
      `${refText(ref)}: ${folder} does not own namespace ${namespace} (it owns ${entry.namespaces.join(', ') || 'none'})`,
      `move the object to the folder that owns namespace ${namespace}, or change its namespace`,
    );
  const earlier = declaredBy.get(refText(ref));
  if (earlier !== undefined)
    return refusal(
      'owners/duplicate',
      `${refText(ref)} is already declared at ${earlier.file}:${earlier.line}`,
      'declare each object once: remove one of the two',
    );
  return undefined;
}

/** Kind, namespace (defaulted) and name of a Kubernetes object; undefined when it has none. */
export function objectRef(value: unknown): ObjectRef | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { kind, metadata } = value as { kind?: unknown; metadata?: unknown };
  if (typeof kind !== 'string' || typeof metadata !== 'object' || metadata === null)
    return undefined;
  const { name, namespace } = metadata as { name?: unknown; namespace?: unknown };
  if (typeof name !== 'string') return undefined;
  if (CLUSTER_SCOPED.has(kind)) return { kind, namespace: '', name };
  const ns = typeof namespace === 'string' && namespace !== '' ? namespace : 'default';
  return { kind, namespace: ns, name };
}

/** `HTTPRoute payments/payments`, `Namespace banking`. */
export function refText(ref: ObjectRef): string {
  return ref.namespace === ''
    ? `${ref.kind} ${ref.name}`
    : `${ref.kind} ${ref.namespace}/${ref.name}`;
}
