import type { RouteTable } from './table.js';

/**
 * Where route tables come from over time: a folder of files, a Kubernetes API server, or a test.
 * Consumers read `current()` once per request (a request finishes on the table it started with)
 * and never need to know how tables are produced. A source keeps its last good table when new
 * input is unusable.
 *
 * @example
 * ```ts
 * const unsubscribe = source.subscribe((table) => console.log('new table', formatTable(table)));
 * const decision = resolve(source.current(), request);
 * ```
 */
export interface RouteSource {
  /** The table to use now. */
  current(): RouteTable;
  /** Called after each swap with the new table; returns the function that unsubscribes. */
  subscribe(listener: (table: RouteTable) => void): () => void;
}

/** A source that never changes, for a table compiled once. */
export function staticSource(table: RouteTable): RouteSource {
  return { current: () => table, subscribe: () => () => {} };
}
