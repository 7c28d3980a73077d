/**
 * One compiled state of the file source, built from the files as last read: the owners file
 * applied (refused objects left out), the served Gateway chosen, the objects compiled. Building
 * never throws and never swaps anything; the file source decides whether to serve the result.
 */
import type { CompileResult } from '@switchyard/core';
import {
  keyText,
  sameGateway,
  selectGateway,
  type GatewayChoice,
  type GatewayKey,
} from '../gateway/select-gateway.js';
import { compileSet, type CompileFlags, type InputSet } from '../load/input-sets.js';
import type { FileEntry } from '../load/manifest-store.js';
import { applyOwners, type Refusal } from '../owners/apply-owners.js';
import type { Owners } from '../owners/owners-file.js';

export interface Snapshot {
  readonly set: InputSet;
  readonly result: CompileResult;
  /** Objects the owners file kept out of `set`. */
  readonly refusals: readonly Refusal[];
  /** The Gateway choice over the kept objects (with the pinned Gateway as the wanted one). */
  readonly gateway: GatewayChoice;
}

/**
 * Compiles every kept object of `files` as one set (a lone case file also lends its compile
 * options), for the `pinned` Gateway when there is one.
 */
export function buildSnapshot(
  files: readonly FileEntry[],
  owners: Owners | undefined,
  flags: CompileFlags | undefined,
  pinned: GatewayKey | undefined,
): Snapshot {
  const { objects, refusals } = applyOwners(
    files.flatMap((f) => f.objects),
    owners,
  );
  const withObjects = files.filter((f) => f.objects.length > 0);
  const only = withObjects.length === 1 ? withObjects[0] : undefined;
  const set: InputSet =
    only?.caseFile !== undefined
      ? { objects, fileCount: 1, caseFile: { file: only.file, info: only.caseFile } }
      : { objects, fileCount: withObjects.length };
  const wanted = pinned ?? flags?.gateway ?? set.caseFile?.info.gateway;
  const gateway = selectGateway(
    objects.map((o) => o.value),
    wanted,
  );
  const compileFlags = gateway.ok ? { ...flags, gateway: gateway.gateway } : flags;
  return { set, result: compileSet(set, compileFlags).result, refusals, gateway };
}

/**
 * Why `next` must not replace `current`, or undefined when it may: the served Gateway is pinned
 * and `next` no longer has it (deleted, renamed, or refused by the owners file).
 */
export function swapRefusal(
  current: Snapshot,
  next: Snapshot,
  pinned: GatewayKey | undefined,
): string | undefined {
  if (pinned === undefined) return undefined;
  const had = current.gateway.among.some((g) => sameGateway(g, pinned));
  const has = next.gateway.among.some((g) => sameGateway(g, pinned));
  if (!had || has) return undefined;
  const refused = next.refusals.find(
    (r) =>
      r.object.kind === 'Gateway' &&
      r.object.namespace === pinned.namespace &&
      r.object.name === pinned.name,
  );
  return refused !== undefined
    ? `the served Gateway ${keyText(pinned)} is refused: ${refused.message}`
    : `the served Gateway ${keyText(pinned)} is no longer among the objects`;
}
