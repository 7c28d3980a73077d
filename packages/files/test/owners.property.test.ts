/**
 * Rule 24 in file mode, as properties over random owners files and random objects in random
 * folders: a kept object is always one its folder may declare, each object is kept at most once,
 * nothing is lost (kept and refused partition the input, in order), and an object that some
 * folder may declare is never crowded out by one that may not. FC_NUM_RUNS, FC_TIME_BUDGET_MS
 * and FC_SEED as in every property test here.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyOwners,
  objectRef,
  ownerEntryOf,
  parseOwners,
  refText,
  type LocatedObject,
  type Owners,
} from '../src/index.js';

const ROOT = '/served';
const FOLDERS = ['platform', 'banking', 'banking/cards', 'payments', 'loose'] as const;
const NAMESPACES = ['infra', 'banking', 'cards', 'payments', 'default'] as const;
const KINDS = ['HTTPRoute', 'Service', 'Gateway', 'GatewayClass', 'Namespace', 'ReferenceGrant'];

const seed = process.env.FC_SEED
  ? Number(process.env.FC_SEED)
  : (Date.now() ^ (Math.random() * 0x100000000)) >>> 0;
const parameters = {
  seed,
  numRuns: Number(process.env.FC_NUM_RUNS ?? 1000),
  interruptAfterTimeLimit: Number(process.env.FC_TIME_BUDGET_MS ?? 4000),
  markInterruptAsFailure: false,
};

/** Owners YAML: each namespace owned by at most one folder; some folders left out. */
const ownersText = fc
  .record({
    ownerOf: fc.array(fc.option(fc.constantFrom(...FOLDERS), { nil: undefined }), {
      minLength: NAMESPACES.length,
      maxLength: NAMESPACES.length,
    }),
    listed: fc.subarray([...FOLDERS]),
    gateways: fc.subarray([...FOLDERS]),
  })
  .map(({ ownerOf, listed, gateways }) => {
    const entries = listed.map((folder) => {
      const namespaces = NAMESPACES.filter((_, i) => ownerOf[i] === folder);
      return `  - { folder: ${folder}, namespaces: [${namespaces.join(', ')}], gateways: ${gateways.includes(folder)} }`;
    });
    return entries.length === 0 ? 'owners: []\n' : `owners:\n${entries.join('\n')}\n`;
  });

const object = fc.record({
  folder: fc.constantFrom(...FOLDERS),
  kind: fc.constantFrom(...KINDS),
  namespace: fc.option(fc.constantFrom(...NAMESPACES), { nil: undefined }),
  name: fc.constantFrom('a', 'b', 'cards', 'banking'),
});

function located(
  spec: { folder: string; kind: string; namespace: string | undefined; name: string },
  line: number,
): LocatedObject {
  const location = { file: `${ROOT}/${spec.folder}/objects.yaml`, line, column: 1 };
  const metadata =
    spec.namespace === undefined
      ? { name: spec.name }
      : { name: spec.name, namespace: spec.namespace };
  return { value: { kind: spec.kind, metadata }, location, locate: () => location };
}

/** Whether the file's folder may declare the object, ignoring duplicates. */
function allowed(owners: Owners, object: LocatedObject): boolean {
  const ref = objectRef(object.value)!;
  const entry = ownerEntryOf(owners, object.location.file);
  if (entry === undefined) return false;
  if ((ref.kind === 'Gateway' || ref.kind === 'GatewayClass') && !entry.gateways) return false;
  if (ref.kind === 'GatewayClass') return true;
  return entry.namespaces.includes(ref.kind === 'Namespace' ? ref.name : ref.namespace);
}

describe('rule 24 in file mode, as properties of applyOwners', () => {
  it('keeps only what a folder may declare, each object once, and loses nothing', () => {
    console.log(`[fast-check] owners: seed ${seed} (replay with FC_SEED=${seed})`);
    fc.assert(
      fc.property(ownersText, fc.array(object, { maxLength: 30 }), (text, specs) => {
        const read = parseOwners(`${ROOT}/owners.yaml`, text);
        expect(read.ok).toBe(true);
        if (!read.ok) return;
        const objects = specs.map((spec, i) => located(spec, i + 1));
        const { objects: kept, refusals } = applyOwners(objects, read.owners);

        // Kept and refused partition the input, each in input order.
        expect(kept.length + refusals.length).toBe(objects.length);
        const keptLines = kept.map((o) => o.location.line);
        const refusedLines = refusals.map((r) => r.location.line);
        expect(keptLines).toEqual([...keptLines].sort((a, b) => a - b));
        expect(new Set([...keptLines, ...refusedLines]).size).toBe(objects.length);

        // Every kept object is one its folder may declare; every key at most once.
        for (const object of kept) expect(allowed(read.owners, object)).toBe(true);
        const keys = kept.map((o) => refText(objectRef(o.value)!));
        expect(new Set(keys).size).toBe(keys.length);

        // The owning folder is never crowded out: an allowed key is always kept (once).
        for (const object of objects)
          if (allowed(read.owners, object))
            expect(keys).toContain(refText(objectRef(object.value)!));

        // A refusal names its object and a rule, and says what to do.
        for (const refusal of refusals) {
          expect(refusal.rule).toMatch(/^owners\//);
          expect(refusal.message).toContain(refText(refusal.object));
          expect(refusal.fix.length).toBeGreaterThan(0);
        }
      }),
      parameters,
    );
  });
});
