/**
 * Watching the input paths. A folder is watched recursively (`fs.watch(dir, { recursive: true })`,
 * which Node 20 supports on Linux, macOS and Windows); a file is watched through its folder,
 * because editors save by writing a new file and renaming it over the old one, which ends a
 * watch on the file itself. Every event only says "something changed": the caller rescans.
 */
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { InputRoot } from '../load/find-files.js';

export interface RootWatcher {
  /** Re-creates watchers that failed (a folder deleted and created again). */
  refresh(): void;
  close(): void;
}

export interface WatchHandlers {
  readonly onChange: () => void;
  readonly onError: (message: string) => void;
}

export function watchRoots(roots: readonly InputRoot[], handlers: WatchHandlers): RootWatcher {
  const watchers = new Map<string, FSWatcher>();

  function start(root: InputRoot): void {
    if (watchers.has(root.absolute)) return;
    const target = root.isDirectory ? root.absolute : dirname(root.absolute);
    const name = basename(root.absolute);
    try {
      const watcher = watch(target, { recursive: root.isDirectory }, (_event, file) => {
        if (root.isDirectory || file === null || file === name) handlers.onChange();
      });
      watcher.on('error', (error) => {
        watcher.close();
        watchers.delete(root.absolute);
        handlers.onError(`watching ${root.given} failed: ${error.message}`);
        handlers.onChange();
      });
      watchers.set(root.absolute, watcher);
    } catch (error) {
      handlers.onError(
        `cannot watch ${root.given}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  for (const root of roots) start(root);
  return {
    refresh: () =>
      roots
        .filter((r) => existsSync(r.isDirectory ? r.absolute : dirname(r.absolute)))
        .forEach(start),
    close() {
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}
