/**
 * The backend map while serving: a live `Map` the gateway's resolver reads on every request,
 * refilled in one synchronous step when the backend map file changes, so a request sees the old
 * map or the new one. A file that no longer reads or checks out is reported and the old map stays.
 */
import { resolve } from 'node:path';
import { watchRoots, type RootWatcher } from '@switchyard/files';
import { readBackendMap, type BackendMap } from './backend-map.js';

export type BackendMapEvent =
  | {
      readonly kind: 'reloaded';
      readonly added: readonly string[];
      readonly removed: readonly string[];
      readonly changed: readonly string[];
    }
  | { readonly kind: 'refused'; readonly message: string }
  | { readonly kind: 'watch-error'; readonly message: string };

export interface LiveBackendMap {
  /** Read by the resolver on every request; changed in place by reloads. */
  readonly map: ReadonlyMap<string, string>;
  /** The map as a plain record, now. */
  snapshot(): BackendMap;
  /** Re-reads the file now (as the watcher does after a change). */
  reload(): void;
  close(): void;
}

export interface WatchBackendMapOptions {
  /** The backend map file as given (relative to `cwd`); undefined: flags only, nothing to watch. */
  readonly file: string | undefined;
  /** `--backend` flags; they win over the file, on every reload too. */
  readonly flags: readonly string[];
  readonly cwd: string;
  /** The map as read at start. */
  readonly initial: BackendMap;
  readonly debounceMs: number;
  readonly onEvent: (event: BackendMapEvent) => void;
}

export function watchBackendMap(options: WatchBackendMapOptions): LiveBackendMap {
  const map = new Map(Object.entries(options.initial));
  let timer: ReturnType<typeof setTimeout> | undefined;

  function reload(): void {
    const read = readBackendMap(options.file, options.flags, options.cwd);
    if (!read.ok) {
      options.onEvent({
        kind: 'refused',
        message: `${read.message}; the previous backend map stays in use`,
      });
      return;
    }
    const next = read.map;
    const added = Object.keys(next).filter((key) => !map.has(key));
    const removed = [...map.keys()].filter((key) => !Object.hasOwn(next, key));
    const changed = Object.keys(next).filter((key) => map.has(key) && map.get(key) !== next[key]);
    if (added.length + removed.length + changed.length === 0) return;
    // One synchronous refill: no request runs between clear() and the last set().
    map.clear();
    for (const [key, url] of Object.entries(next)) map.set(key, url);
    options.onEvent({ kind: 'reloaded', added, removed, changed });
  }

  let watcher: RootWatcher | undefined;
  if (options.file !== undefined) {
    const absolute = resolve(options.cwd, options.file);
    watcher = watchRoots([{ given: options.file, absolute, isDirectory: false }], {
      onChange: () => {
        if (timer !== undefined) clearTimeout(timer);
        timer = setTimeout(() => {
          timer = undefined;
          reload();
          watcher?.refresh();
        }, options.debounceMs);
      },
      onError: (message) => options.onEvent({ kind: 'watch-error', message }),
    });
  }

  return {
    map,
    snapshot: () => Object.fromEntries(map),
    reload,
    close() {
      if (timer !== undefined) clearTimeout(timer);
      watcher?.close();
    },
  };
}
