/**
 * What crosses from the file source's compile worker to the serving thread. The compile result
 * travels in parts (`parts.ts`); so do the objects. Structured clone carries plain data but not
 * functions, so a located object travels as its value, its position and the positions of the
 * fields the compile result complains about; `locate` is rebuilt on arrival from those.
 */
import type { CompileResult } from '@switchyard/core';
import type { EngineNote } from '../file-source/engine.js';
import type { TableChanges } from '../file-source/diff.js';
import type { Snapshot } from '../file-source/snapshot.js';
import type { GatewayChoice } from '../gateway/select-gateway.js';
import type { CaseFileInfo, LocatedObject, ParseProblem } from '../load/parse-file.js';
import { droppedRulePath, fieldPathIn, type SourceLocation } from '../load/locate.js';
import type { Refusal } from '../owners/apply-owners.js';
import type { InputRoot } from '../load/find-files.js';
import type { CompileFlags } from '../load/input-sets.js';
import {
  openObjects,
  openResult,
  partsOf,
  sendResult,
  type Part,
  type WireResult,
} from './parts.js';
import { inSlices } from './slices.js';

export interface WireObject {
  readonly value: unknown;
  readonly location: SourceLocation;
  /** Field path → where it is written, for the paths the compile result names. */
  readonly positions: Readonly<Record<string, SourceLocation>>;
}

/** A snapshot without its long lists, which arrive before it as parts. */
export interface WireSnapshot extends WireResult {
  readonly fileCount: number;
  readonly caseFile?: { readonly file: string; readonly info: CaseFileInfo };
  readonly refusals: readonly Refusal[];
  readonly gateway: GatewayChoice;
}

export type ToWorker = {
  readonly type: 'reload';
  /** Compile flags that change from this reload on (plain data: it crosses the thread). */
  readonly compile?: Partial<CompileFlags>;
};

export type FromWorker =
  | Part
  | {
      readonly type: 'loaded';
      readonly watched: readonly InputRoot[];
      readonly snapshot: WireSnapshot;
      readonly files: number;
      readonly problems: readonly ParseProblem[];
      readonly owners: string | undefined;
    }
  | {
      readonly type: 'failed';
      readonly error: {
        readonly name: string;
        readonly message: string;
        readonly problem?: ParseProblem;
        readonly path?: string;
      };
    }
  | {
      readonly type: 'reloaded';
      readonly notes: readonly EngineNote[];
      readonly problems: readonly ParseProblem[];
      readonly swap?: {
        readonly snapshot: WireSnapshot;
        readonly added: readonly string[];
        readonly removed: readonly string[];
        readonly changed: readonly string[];
        readonly changes: TableChanges;
      };
    };

/** Posts a message, transferring the buffers listed. */
export type Post = (message: FromWorker, transfer?: ArrayBuffer[]) => void;

/** Posts the snapshot's long lists as parts, and returns the rest. */
export function sendSnapshot(snapshot: Snapshot, post: Post): WireSnapshot {
  for (const part of partsOf('objects', wireObjects(snapshot)))
    post(part, [part.bytes.buffer as ArrayBuffer]);
  return {
    ...sendResult(snapshot.result, post),
    fileCount: snapshot.set.fileCount,
    ...(snapshot.set.caseFile === undefined ? {} : { caseFile: snapshot.set.caseFile }),
    refusals: snapshot.refusals,
    gateway: snapshot.gateway,
  };
}

/** What the serving thread makes of a snapshot and the parts that came before it. */
export interface OpenedSnapshot {
  readonly result: CompileResult;
  readonly objects: readonly WireObject[];
}

/** Decodes and assembles a snapshot between requests (see `parts.ts`). */
export async function openSnapshot(
  parts: readonly Part[],
  wire: WireSnapshot,
): Promise<OpenedSnapshot> {
  const slices = inSlices();
  const objects = await openObjects<WireObject>(parts, slices);
  return { result: await openResult(parts, wire, slices), objects };
}

/** The objects with the positions of every field path the result's messages and diagnostics name. */
function wireObjects(snapshot: Snapshot): WireObject[] {
  const { objects } = snapshot.set;
  const paths = new Map<number, Set<string>>();
  const want = (index: number | undefined, path: string | undefined): void => {
    if (index === undefined || path === undefined) return;
    let set = paths.get(index);
    if (set === undefined) paths.set(index, (set = new Set()));
    set.add(path);
  };
  for (const diagnostic of snapshot.result.diagnostics) want(diagnostic.index, diagnostic.path);
  const routeIndex = new Map<string, number>();
  objects.forEach((object, index) => {
    const value = object.value as {
      kind?: unknown;
      metadata?: { name?: unknown; namespace?: unknown };
    };
    if (value.kind !== 'HTTPRoute') return;
    const key = `${String(value.metadata?.namespace ?? 'default')}/${String(value.metadata?.name)}`;
    if (!routeIndex.has(key)) routeIndex.set(key, index);
  });
  for (const status of snapshot.result.statuses) {
    const index = routeIndex.get(`${status.namespace}/${status.name}`);
    for (const parent of status.parents)
      for (const condition of parent.conditions)
        for (const message of condition.message.split(/; (?=Dropped Rule )/)) {
          want(index, droppedRulePath(message));
          want(index, fieldPathIn(message));
        }
  }
  return objects.map((object, index) => ({
    value: object.value,
    location: object.location,
    positions: Object.fromEntries(
      [...(paths.get(index) ?? [])].map((path) => [path, object.locate(path)]),
    ),
  }));
}

/** A located object again: positions the worker computed, else where the object starts. */
export function locatedObject(wire: WireObject): LocatedObject {
  return {
    value: wire.value,
    location: wire.location,
    locate: (path) => wire.positions[path] ?? wire.location,
  };
}
