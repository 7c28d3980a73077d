/**
 * Header filters of a decision (RequestHeaderModifier, ResponseHeaderModifier, CORS headers) on
 * the flat header lists of `forward/headers.ts`, with the core's `applyHeaderModifier`: the
 * semantics live in the core, this file only adapts the shape.
 */
import { applyHeaderModifier } from '@switchyard/core';
import type { HeaderModifier } from '@switchyard/core';

/**
 * Applies header modifiers (in order) to a flat header list with the core's
 * `applyHeaderModifier`, then merges `extra` (set semantics, e.g. CORS headers). Returns `flat`
 * itself when there is nothing to do.
 */
export function applyModifiers(
  flat: string[],
  modifiers: readonly (HeaderModifier | undefined)[],
  extra?: Readonly<Record<string, string>>,
): string[] {
  let any = extra !== undefined && Object.keys(extra).length > 0;
  for (const modifier of modifiers) if (modifier !== undefined) any = true;
  if (!any) return flat;
  let record: Record<string, string | string[] | undefined> = toRecord(flat);
  for (const modifier of modifiers) {
    if (modifier !== undefined) record = applyHeaderModifier(record, modifier);
  }
  if (extra !== undefined) {
    record = applyHeaderModifier(record, {
      set: Object.keys(extra).map((name) => ({ name, value: extra[name]! })),
      add: [],
      remove: [],
    });
  }
  return toFlat(record);
}

function toRecord(flat: readonly string[]): Record<string, string | string[]> {
  // A null prototype: a header may be called `__proto__`.
  const record: Record<string, string | string[]> = Object.create(null) as Record<
    string,
    string | string[]
  >;
  for (let i = 0; i < flat.length; i += 2) {
    const name = flat[i]!;
    const value = flat[i + 1]!;
    const existing = record[name];
    if (existing === undefined) record[name] = value;
    else if (typeof existing === 'string') record[name] = [existing, value];
    else existing.push(value);
  }
  return record;
}

function toFlat(
  record: Readonly<Record<string, string | readonly string[] | undefined>>,
): string[] {
  const out: string[] = [];
  for (const name of Object.keys(record)) {
    const value = record[name];
    if (value === undefined) continue;
    if (typeof value === 'string') out.push(name, value);
    else for (const item of value) out.push(name, item);
  }
  return out;
}
