/**
 * A `RouteSource` you swap tables into yourself: for programs that compile on their own schedule
 * (a file watcher, a control-plane client, a test). Swaps are atomic: a request reads the table
 * once when it arrives and finishes on it.
 */
import type { RouteSource, RouteTable } from '@switchyard/core';

export interface SwappableSource extends RouteSource {
  /** Makes `table` current and tells the subscribers. */
  swap(table: RouteTable): void;
}

/**
 * @example
 * ```ts
 * const source = swappableSource(compile(objects).table);
 * const gateway = await createGateway({ source });
 * watcher.on('change', () => source.swap(compile(readObjects()).table));
 * ```
 */
export function swappableSource(initial: RouteTable): SwappableSource {
  let table = initial;
  const listeners = new Set<(table: RouteTable) => void>();
  return {
    current: () => table,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    swap(next) {
      table = next;
      for (const listener of [...listeners]) listener(next);
    },
  };
}
