/**
 * The steps of the model-based test: what a cluster does to the source. Each step changes the
 * real system and the model the same way, waits for the source to settle, and checks every
 * observable against the model.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { FakeObject } from '../../src/testing/index.js';
import { CONTROLLER, GATEWAY_API } from '../fixtures.js';
import {
  checkAgainstModel,
  refOf,
  settle,
  specKey,
  startSource,
  type Model,
  type Real,
} from './harness.js';
import { SLOTS } from './universe.js';

type Command = fc.AsyncCommand<Model, Real>;

/** Applies or deletes one slot in the model; the caller does the same on the server. */
export function applyToModel(model: Model, slotIndex: number, version: number | undefined): void {
  const slot = SLOTS[slotIndex]!;
  if (version === undefined) {
    model.objects.delete(slot.id);
    model.foreign.delete(slot.id);
    return;
  }
  const object = slot.versions[version % slot.versions.length]!;
  const previous = model.objects.get(slot.id);
  const generation = !previous
    ? 1
    : specKey(previous.object) === specKey(object)
      ? previous.generation
      : previous.generation + 1;
  model.objects.set(slot.id, { object, generation });
}

export function applyToServer(
  real: Real,
  slotIndex: number,
  version: number | undefined,
  model: Model,
): void {
  const slot = SLOTS[slotIndex]!;
  if (version === undefined) {
    const present = model.objects.get(slot.id);
    if (present) real.api.delete(refOf(present.object));
    return;
  }
  real.api.apply(structuredClone(slot.versions[version % slot.versions.length]!));
}

const describeMutation = (slotIndex: number, version: number | undefined) =>
  version === undefined
    ? `delete ${SLOTS[slotIndex]!.id}`
    : `put ${SLOTS[slotIndex]!.id}@${version % SLOTS[slotIndex]!.versions.length}`;

async function settleAndCheck(model: Model, real: Real) {
  await settle(real);
  checkAgainstModel(model, real);
}

class Mutate implements Command {
  constructor(
    readonly slot: number,
    readonly version: number | undefined,
  ) {}
  check = () => true;
  async run(model: Model, real: Real) {
    applyToServer(real, this.slot, this.version, model);
    applyToModel(model, this.slot, this.version);
    await settleAndCheck(model, real);
  }
  toString = () => describeMutation(this.slot, this.version);
}

/** Every watch connection cut mid-stream: the source resumes from its resourceVersions. */
class Disconnect implements Command {
  check = () => true;
  async run(model: Model, real: Real) {
    real.api.dropWatches();
    await settleAndCheck(model, real);
  }
  toString = () => 'disconnect';
}

/** Watches ended cleanly, as after `timeoutSeconds`. */
class EndWatches implements Command {
  check = () => true;
  async run(model: Model, real: Real) {
    real.api.endWatches();
    await settleAndCheck(model, real);
  }
  toString = () => 'end watches';
}

/** History compacted and watches cut: resuming gets 410 Gone, and the source relists. */
class Gone implements Command {
  check = () => true;
  async run(model: Model, real: Real) {
    real.api.compact();
    real.api.dropWatches();
    await settleAndCheck(model, real);
  }
  toString = () => 'compact + disconnect (410 Gone)';
}

/**
 * The API server is unreachable while objects change (and, optionally, its history is compacted):
 * the last table stays in service; once it is back, the source catches up.
 */
class Outage implements Command {
  constructor(
    readonly mutations: readonly (readonly [number, number | undefined])[],
    readonly compact: boolean,
  ) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const before = real.source.current();
    await real.api.stop();
    for (const [slot, version] of this.mutations) {
      applyToServer(real, slot, version, model);
      applyToModel(model, slot, version);
    }
    if (this.compact) real.api.compact();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(real.source.current(), 'the table kept while the API server is unreachable').toBe(
      before,
    );
    await real.api.start();
    await settleAndCheck(model, real);
  }
  toString = () =>
    `outage[${this.mutations.map(([s, v]) => describeMutation(s, v)).join(', ')}${this.compact ? ', compact' : ''}]`;
}

/** A replica restarts: a new source lists everything from scratch and takes over. */
class Restart implements Command {
  check = () => true;
  async run(model: Model, real: Real) {
    await real.source.close();
    real.source = await startSource(real.api);
    await settleAndCheck(model, real);
  }
  toString = () => 'restart the source';
}

const FOREIGN_ENTRIES = [
  {
    parentRef: {
      group: 'gateway.networking.k8s.io',
      kind: 'Gateway',
      namespace: 'other',
      name: 'gw2',
    },
    controllerName: 'example.net/another-controller',
    conditions: [
      {
        type: 'Accepted',
        status: 'True',
        reason: 'Accepted',
        message: 'theirs',
        lastTransitionTime: '2024-01-01T00:00:00Z',
      },
    ],
  },
  // Our controllerName, but for a Gateway another replica serves: not ours to rewrite either.
  {
    parentRef: {
      group: 'gateway.networking.k8s.io',
      kind: 'Gateway',
      namespace: 'other',
      name: 'gw2',
    },
    controllerName: CONTROLLER,
    conditions: [
      {
        type: 'Accepted',
        status: 'False',
        reason: 'NotAllowedByListeners',
        message: 'other replica',
        lastTransitionTime: '2024-01-01T00:00:00Z',
      },
    ],
  },
] as const;

/** Another writer adds its entry to a route's `status.parents`, keeping what is there. */
class ForeignStatus implements Command {
  constructor(
    readonly route: number,
    readonly entry: number,
  ) {}
  check = (model: Readonly<Model>) => model.objects.has(routeSlots()[this.route]!);
  async run(model: Model, real: Real) {
    const id = routeSlots()[this.route]!;
    const ref = refOf(model.objects.get(id)!.object);
    const entry = structuredClone(FOREIGN_ENTRIES[this.entry]!);
    const stored = real.api.get(ref)!;
    const parents = ((stored.status as { parents?: unknown[] } | undefined)?.parents ?? []).filter(
      (p) => JSON.stringify(p) !== JSON.stringify(entry),
    );
    real.api.setStatus(ref, { parents: [...parents, entry] });
    const foreign = (model.foreign.get(id) ?? []).filter(
      (p) => JSON.stringify(p) !== JSON.stringify(entry),
    );
    model.foreign.set(id, [...foreign, entry]);
    await settleAndCheck(model, real);
  }
  toString = () =>
    `foreign status ${FOREIGN_ENTRIES[this.entry]!.controllerName} on ${routeSlots()[this.route]}`;
}

function routeSlots(): string[] {
  return SLOTS.filter(
    (s) => s.versions[0]!.apiVersion === GATEWAY_API && s.versions[0]!.kind === 'HTTPRoute',
  ).map((s) => s.id);
}

/** One object put (at some version) or deleted. */
export const mutation = fc.tuple(
  fc.nat({ max: SLOTS.length - 1 }),
  fc.option(fc.nat({ max: 5 }), { nil: undefined, freq: 4 }),
);

/** The command arbitraries: mostly object changes, with disconnects, 410s and outages mixed in. */
export const commandArbitraries: fc.Arbitrary<Command>[] = [
  mutation.map(([slot, version]) => new Mutate(slot, version)),
  mutation.map(([slot, version]) => new Mutate(slot, version)),
  mutation.map(([slot, version]) => new Mutate(slot, version)),
  fc.constant(new Disconnect()),
  fc.constant(new EndWatches()),
  fc.constant(new Gone()),
  fc.constant(new Restart()),
  fc
    .tuple(fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.boolean())
    .map(([m, compact]) => new Outage(m, compact)),
  fc
    .tuple(fc.nat({ max: routeSlots().length - 1 }), fc.nat({ max: FOREIGN_ENTRIES.length - 1 }))
    .map(([r, e]) => new ForeignStatus(r, e)),
];

export type { FakeObject };
