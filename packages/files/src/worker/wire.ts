/**
 * What crosses from the compile worker to the serving thread, and how it is put together there.
 *
 * Structured clone carries plain data but not functions, so a located object travels as its
 * value, its position and the positions of the fields the compile result complains about;
 * `locate` is rebuilt on arrival from those. The table travels as core's outline (`splitTable`)
 * and its routes; the serving thread builds the indexes itself (`assembleTable`).
 *
 * Every long list (objects, statuses, diagnostics, findings, each listener's routes) travels in
 * parts of {@link PART_SIZE} items, each serialised by the worker into bytes whose buffer is
 * transferred, not copied. Why bytes: Node hands a port's queued messages to the receiving thread
 * in one go (up to a thousand per event-loop turn), so a part that the receiver had to
 * deserialise on arrival would stall it as long as the whole table did. Bytes cost nothing to
 * receive; the serving thread decodes them later, a few milliseconds of work per event-loop turn
 * ({@link openSnapshot}).
 */
import { deserialize, serialize } from 'node:v8';
import {
  assembleTable,
  splitTable,
  type CompileResult,
  type Diagnostic,
  type Finding,
  type RouteStatus,
  type TableOutline,
  type WireRoute,
} from '@switchyard/core';
import type { EngineNote } from '../file-source/engine.js';
import type { TableChanges } from '../file-source/diff.js';
import type { Snapshot } from '../file-source/snapshot.js';
import type { GatewayChoice } from '../gateway/select-gateway.js';
import type { CaseFileInfo, LocatedObject, ParseProblem } from '../load/parse-file.js';
import { droppedRulePath, fieldPathIn, type SourceLocation } from '../load/locate.js';
import type { Refusal } from '../owners/apply-owners.js';
import type { InputRoot } from '../load/find-files.js';
import type { CompileFlags } from '../load/input-sets.js';
import { inSlices } from './slices.js';

/** Items per part: small enough that the serving thread decodes one in a few milliseconds. */
export const PART_SIZE = 250;

export interface WireObject {
  readonly value: unknown;
  readonly location: SourceLocation;
  /** Field path → where it is written, for the paths the compile result names. */
  readonly positions: Readonly<Record<string, SourceLocation>>;
}

/** A snapshot without its long lists, which arrive before it as parts. */
export interface WireSnapshot {
  readonly result: Omit<CompileResult, 'table' | 'statuses' | 'diagnostics' | 'findings'>;
  readonly table: TableOutline;
  readonly fileCount: number;
  readonly caseFile?: { readonly file: string; readonly info: CaseFileInfo };
  readonly refusals: readonly Refusal[];
  readonly gateway: GatewayChoice;
}

/** The lists that travel in parts; `routes` parts name their listener's position. */
export type PartList = 'objects' | 'statuses' | 'diagnostics' | 'findings' | 'routes';

export interface Part {
  readonly type: 'part';
  readonly list: PartList;
  readonly listener?: number;
  /** `v8.serialize` of the items; its buffer is transferred. */
  readonly bytes: Uint8Array;
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
  const send = (list: PartList, items: readonly unknown[], listener?: number): void => {
    for (let i = 0; i < items.length; i += PART_SIZE) {
      const bytes = ownBuffer(serialize(items.slice(i, i + PART_SIZE)));
      const part: Part = {
        type: 'part',
        list,
        ...(listener === undefined ? {} : { listener }),
        bytes,
      };
      post(part, [bytes.buffer as ArrayBuffer]);
    }
  };
  send('objects', wireObjects(snapshot));
  const { table, statuses, diagnostics, findings, ...rest } = snapshot.result;
  send('statuses', statuses);
  send('diagnostics', diagnostics);
  send('findings', findings);
  const { outline, routes } = splitTable(table);
  routes.forEach((list, listener) => send('routes', list, listener));
  return {
    result: rest,
    table: outline,
    fileCount: snapshot.set.fileCount,
    ...(snapshot.set.caseFile === undefined ? {} : { caseFile: snapshot.set.caseFile }),
    refusals: snapshot.refusals,
    gateway: snapshot.gateway,
  };
}

/** Bytes whose buffer is theirs alone, so transferring it detaches nothing else. */
function ownBuffer(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? bytes
    : bytes.slice();
}

/** What the serving thread makes of a snapshot and the parts that came before it. */
export interface OpenedSnapshot {
  readonly result: CompileResult;
  readonly objects: readonly WireObject[];
}

/**
 * Decodes the parts and assembles the compile result (freezing the routes and building the
 * indexes), returning to the event loop between slices of work so that requests keep being
 * answered from the table in service.
 */
export async function openSnapshot(
  parts: readonly Part[],
  wire: WireSnapshot,
): Promise<OpenedSnapshot> {
  const lists = {
    objects: [] as WireObject[],
    statuses: [] as RouteStatus[],
    diagnostics: [] as Diagnostic[],
    findings: [] as Finding[],
  };
  const routes: WireRoute[][] = wire.table.listeners.map(() => []);
  const slices = inSlices();
  for (const part of parts) {
    const items = deserialize(part.bytes) as unknown[];
    const into: unknown[] =
      part.list === 'routes' ? (routes[part.listener ?? -1] ?? []) : lists[part.list];
    for (const item of items) into.push(item);
    await slices.pause();
  }
  const table = await slices.run(assembleTable(wire.table, routes));
  const { objects, ...result } = lists;
  return { result: { ...wire.result, ...result, table }, objects };
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
