/**
 * Watching the input paths. Every folder under a folder root is watched on its own, without
 * `recursive: true`: Node 20's recursive watch on Linux walks the tree asynchronously and watches
 * files by inode, so an editor's atomic save (write a temporary file, rename it over the old one)
 * made while it starts, or a second such save, can go unseen. A folder watch sees every rename
 * into the folder. A file root is watched through its folder, for the same reason. `refresh()`
 * (called after each reload) watches folders that appeared and drops ones that went. Every event
 * only says "something changed": the caller rescans.
 */
import { readdirSync, statSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { InputRoot } from '../load/find-files.js';

export interface RootWatcher {
  /** Watches folders created since, drops folders deleted since, re-creates failed watchers. */
  refresh(): void;
  close(): void;
}

export interface WatchHandlers {
  readonly onChange: () => void;
  readonly onError: (message: string) => void;
}

/** One folder to watch; `only` limits events to one file name (a file root). */
interface Target {
  readonly folder: string;
  readonly only?: string;
  readonly root: InputRoot;
}

export function watchRoots(roots: readonly InputRoot[], handlers: WatchHandlers): RootWatcher {
  const watchers = new Map<string, FSWatcher>();
  const keyOf = (target: Target): string => `${target.folder}\0${target.only ?? ''}`;

  function start(target: Target): void {
    const key = keyOf(target);
    try {
      const watcher = watch(target.folder, (_event, file) => {
        if (target.only === undefined || file === null || file === target.only) handlers.onChange();
      });
      watcher.on('error', (error) => {
        watcher.close();
        watchers.delete(key);
        // A folder deleted under a root is an ordinary change, not a failure of the root.
        if (target.folder === target.root.absolute || target.only !== undefined)
          handlers.onError(`watching ${target.root.given} failed: ${error.message}`);
        handlers.onChange();
      });
      watchers.set(key, watcher);
    } catch (error) {
      if (target.folder === target.root.absolute || target.only !== undefined)
        handlers.onError(
          `cannot watch ${target.root.given}: ${error instanceof Error ? error.message : String(error)}`,
        );
    }
  }

  /** Returns whether a folder is watched now that was not before. */
  function sync(): boolean {
    const wanted = new Map(roots.flatMap(targetsOf).map((t) => [keyOf(t), t]));
    for (const [key, watcher] of watchers)
      if (!wanted.has(key)) {
        watcher.close();
        watchers.delete(key);
      }
    let added = false;
    for (const [key, target] of wanted)
      if (!watchers.has(key)) {
        start(target);
        added = true;
      }
    return added;
  }

  sync();
  return {
    refresh() {
      // A file written into a new folder before its watch started would go unseen: rescan once.
      if (sync()) handlers.onChange();
    },
    close() {
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}

function targetsOf(root: InputRoot): Target[] {
  if (!root.isDirectory) {
    const folder = dirname(root.absolute);
    return isFolder(folder) ? [{ folder, only: basename(root.absolute), root }] : [];
  }
  const folders: string[] = [];
  collectFolders(root.absolute, folders);
  return folders.map((folder) => ({ folder, root }));
}

/** `dir` and every folder below it, skipping what the file scan skips (hidden, node_modules). */
function collectFolders(dir: string, into: string[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return; // gone or unreadable: the next refresh sees the final state
  }
  into.push(dir);
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith('.') || entry.name === 'node_modules')
      continue;
    collectFolders(join(dir, entry.name), into);
  }
}

function isFolder(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}
