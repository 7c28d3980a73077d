/**
 * A compile result crossing between threads in parts.
 *
 * Every long list (statuses, diagnostics, findings, each listener's routes; the file source adds
 * its objects, the compile worker its input) travels in parts of {@link PART_SIZE} items, each
 * serialised into bytes whose buffer is transferred, not copied. The table travels as core's
 * outline (`splitTable`) and its routes; the receiving side builds the indexes itself
 * (`assembleTable`).
 *
 * Why bytes: Node hands a port's queued messages to the receiving thread in one go (up to a
 * thousand per event-loop turn), so parts that were decoded on arrival would stall the serving
 * thread as long as one big message did. Bytes cost nothing to receive; the serving thread decodes
 * them later, a few milliseconds of work per event-loop turn ({@link openResult}).
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
import { inSlices, type Slices } from './slices.js';

/** Items per part: small enough that the serving thread decodes one in a few milliseconds. */
export const PART_SIZE = 100;

/** The lists that travel in parts; `routes` parts name their listener's position. */
export type PartList = 'objects' | 'statuses' | 'diagnostics' | 'findings' | 'routes';

export interface Part {
  readonly type: 'part';
  readonly list: PartList;
  readonly listener?: number;
  /** `v8.serialize` of the items; its buffer is transferred. */
  readonly bytes: Uint8Array;
}

/** A compile result without its long lists, which arrive before it as parts. */
export interface WireResult {
  readonly result: Omit<CompileResult, 'table' | 'statuses' | 'diagnostics' | 'findings'>;
  readonly table: TableOutline;
}

/** Sends a part, transferring its buffer. */
export type SendPart = (part: Part, transfer: ArrayBuffer[]) => void;

/** The parts of a list, each a message of its own with a buffer of its own. */
export function* partsOf(list: PartList, items: readonly unknown[], listener?: number) {
  for (let i = 0; i < items.length; i += PART_SIZE) {
    const bytes = ownBuffer(serialize(items.slice(i, i + PART_SIZE)));
    const part: Part = {
      type: 'part',
      list,
      ...(listener === undefined ? {} : { listener }),
      bytes,
    };
    yield part;
  }
}

/** Sends the result's long lists as parts, and returns the rest. */
export function sendResult(result: CompileResult, send: SendPart): WireResult {
  const { table, statuses, diagnostics, findings, ...rest } = result;
  const { outline, routes } = splitTable(table);
  const parts = [
    partsOf('statuses', statuses),
    partsOf('diagnostics', diagnostics),
    partsOf('findings', findings),
    ...routes.map((list, listener) => partsOf('routes', list, listener)),
  ];
  for (const list of parts) for (const part of list) send(part, [part.bytes.buffer as ArrayBuffer]);
  return { result: rest, table: outline };
}

/** Bytes whose buffer is theirs alone, so transferring it detaches nothing else. */
function ownBuffer(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? bytes
    : bytes.slice();
}

/** Decodes the `objects` parts, pausing between them. */
export async function openObjects<T>(parts: readonly Part[], slices: Slices = inSlices()) {
  const objects: T[] = [];
  for (const part of parts) {
    if (part.list !== 'objects') continue;
    for (const item of deserialize(part.bytes) as T[]) objects.push(item);
    await slices.pause();
  }
  return objects;
}

/**
 * Decodes the parts and assembles the compile result (compiling matches, freezing the routes,
 * building the indexes), returning to the event loop between slices of work so that requests
 * keep being answered from the table in service. `objects` parts are left to {@link openObjects}.
 */
export async function openResult(
  parts: readonly Part[],
  wire: WireResult,
  slices: Slices = inSlices(),
): Promise<CompileResult> {
  const lists = {
    statuses: [] as RouteStatus[],
    diagnostics: [] as Diagnostic[],
    findings: [] as Finding[],
  };
  const routes: WireRoute[][] = wire.table.listeners.map(() => []);
  for (const part of parts) {
    if (part.list === 'objects') continue;
    const into: unknown[] =
      part.list === 'routes' ? (routes[part.listener ?? -1] ?? []) : lists[part.list];
    for (const item of deserialize(part.bytes) as unknown[]) into.push(item);
    await slices.pause();
  }
  const table = await slices.run(assembleTable(wire.table, routes));
  return { ...wire.result, ...lists, table };
}
