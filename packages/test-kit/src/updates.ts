/**
 * The object list after an `updates` step, with Kubernetes generation counting: an object is
 * generation 1 when created and +1 for each apply that changes its `spec` (FORMAT.md, "Status").
 */
import type { DeleteRef, UpdateStep } from './case-types.js';
import { objectKey } from './normalize-case.js';

type KubeObject = Readonly<Record<string, unknown>>;

function sameObject(a: KubeObject, kind: unknown, namespace: string, name: string): boolean {
  const key = objectKey(a);
  return a['kind'] === kind && key.namespace === namespace && key.name === name;
}

function generationOf(object: KubeObject): number {
  const metadata = object['metadata'] as { generation?: unknown } | undefined;
  return typeof metadata?.generation === 'number' ? metadata.generation : 1;
}

/** Key-order-insensitive JSON, so that re-applying the same spec is not a change. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function withGeneration(object: KubeObject, generation: number): KubeObject {
  const metadata = (object['metadata'] ?? {}) as Record<string, unknown>;
  return { ...object, metadata: { ...metadata, generation } };
}

function describeRef(ref: DeleteRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

/**
 * Applies one step to an object list: `apply` creates or replaces (by kind, namespace, name),
 * `delete` removes. Replaced objects keep their position so that input order stays stable.
 * @throws Error when a delete names an object that does not exist.
 * @example applyUpdate(caseFile.objects, caseFile.updates[0])
 */
export function applyUpdate(objects: readonly KubeObject[], step: UpdateStep): KubeObject[] {
  const next = [...objects];
  for (const object of step.apply) {
    const { namespace, name } = objectKey(object);
    const index = next.findIndex((candidate) =>
      sameObject(candidate, object['kind'], namespace, name),
    );
    const previous = index === -1 ? undefined : next[index];
    if (previous === undefined) {
      next.push(withGeneration(object, 1));
      continue;
    }
    const changed = canonical(previous['spec']) !== canonical(object['spec']);
    next[index] = withGeneration(object, generationOf(previous) + (changed ? 1 : 0));
  }
  for (const ref of step.delete) {
    const index = next.findIndex((candidate) =>
      sameObject(candidate, ref.kind, ref.namespace ?? '', ref.name),
    );
    if (index === -1) throw new Error(`cannot delete ${describeRef(ref)}: no such object`);
    next.splice(index, 1);
  }
  return next;
}
