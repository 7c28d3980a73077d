/**
 * The file source: a {@link RouteSource} over YAML and JSON files and folders. It compiles every
 * object under the paths into one table, watches the paths, and after a quiet period (debounce)
 * re-reads what changed, recompiles and swaps the table in one assignment, so a request always
 * sees one whole table, old or new. A file that stops parsing is reported with its file and line,
 * its last good objects stay in use, and nothing else about the table changes because of it.
 */
import type { CompileResult, RouteSource, RouteTable } from '@switchyard/core';
import { compileSet, type CompileFlags, type InputSet } from '../load/input-sets.js';
import {
  createManifestStore,
  type FileEntry,
  type ManifestStore,
  type RefreshResult,
} from '../load/manifest-store.js';
import type { LocatedObject, ParseProblem } from '../load/parse-file.js';
import { diffResults, type TableChanges } from './diff.js';
import { watchRoots, type RootWatcher } from './watch.js';

export interface FileSourceOptions {
  /** Files and folders; folders are read recursively (`.yaml`, `.yml`, `.json`). */
  readonly paths: readonly string[];
  /** Relative paths resolve against this; default `process.cwd()`. */
  readonly cwd?: string;
  /** Quiet period after the last change before reloading, in milliseconds; default 100. */
  readonly debounceMs?: number;
  /** Watch the paths for changes; default true. */
  readonly watch?: boolean;
  /** Which Gateway, route weights, delegation depth (as the CLI flags). */
  readonly compile?: CompileFlags;
  /** Everything worth telling a human: loads, reloads, files that do not parse, watch errors. */
  readonly onReport?: (report: FileSourceReport) => void;
}

export type FileSourceReport =
  | {
      readonly kind: 'load';
      readonly files: number;
      readonly objects: number;
      readonly result: CompileResult;
      /** Files that did not parse at start (they contribute no objects). */
      readonly problems: readonly ParseProblem[];
    }
  | {
      readonly kind: 'reload';
      readonly added: readonly string[];
      readonly removed: readonly string[];
      readonly changed: readonly string[];
      readonly objects: number;
      readonly changes: TableChanges;
      readonly result: CompileResult;
    }
  | {
      /** A file's new text does not parse; `keptObjects` of its last good text stay in use. */
      readonly kind: 'parse-error';
      readonly problem: ParseProblem;
      readonly keptObjects: number;
    }
  | { readonly kind: 'recovered'; readonly file: string }
  | { readonly kind: 'watch-error'; readonly message: string };

/** A route source over files, with what it was compiled from. */
export interface FileSource extends RouteSource {
  /** The compile result `current()` comes from (statuses, diagnostics). */
  result(): CompileResult;
  /** The objects in use, in file order, each with where it is written. */
  objects(): readonly LocatedObject[];
  /** Files whose current text does not parse. */
  problems(): readonly ParseProblem[];
  /** Re-reads the files now, as the watcher does after a change; returns whether the table was swapped. */
  reload(): boolean;
  /** Stops watching; the last table stays readable. */
  close(): void;
}

interface Snapshot {
  readonly set: InputSet;
  readonly result: CompileResult;
}

/**
 * Reads the paths (synchronously: `current()` is usable on return) and starts watching them.
 * Throws `MissingPathError` when a path does not exist.
 *
 * @example
 * ```ts
 * import { createFileSource } from '@switchyard/files';
 * import { resolve } from '@switchyard/core';
 *
 * const source = createFileSource({
 *   paths: ['examples/delegation'],
 *   onReport: (report) => report.kind === 'parse-error' && console.error(report.problem.message),
 * });
 * source.subscribe((table) => console.log('new table with', table.listeners.length, 'listeners'));
 * resolve(source.current(), { method: 'GET', host: 'api.example.com', path: '/banking/accounts' });
 * ```
 */
export function createFileSource(options: FileSourceOptions): FileSource {
  const cwd = options.cwd ?? process.cwd();
  const report = options.onReport ?? (() => {});
  const store = createManifestStore(options.paths, cwd);
  const listeners = new Set<(table: RouteTable) => void>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let watcher: RootWatcher | undefined;
  let closed = false;

  const first = store.refresh();
  let snapshot = compileAll(store, options.compile);
  report({
    kind: 'load',
    files: store.files().length,
    objects: snapshot.set.objects.length,
    result: snapshot.result,
    problems: first.failed,
  });

  function reload(): boolean {
    if (closed) return false;
    let refreshed: RefreshResult;
    try {
      refreshed = store.refresh();
    } catch (error) {
      report({ kind: 'watch-error', message: `reading the files failed: ${String(error)}` });
      return false;
    }
    for (const problem of refreshed.failed) {
      const kept = store.files().find((f) => f.file === problem.location.file)?.objects.length ?? 0;
      report({ kind: 'parse-error', problem, keptObjects: kept });
    }
    for (const file of refreshed.recovered) report({ kind: 'recovered', file });
    watcher?.refresh();
    if (!refreshed.objectsChanged) return false;
    const next = compileAll(store, options.compile);
    const changes = diffResults(snapshot.result, next.result);
    snapshot = next; // the swap: one assignment, readers see the old table or the new one
    report({
      kind: 'reload',
      added: refreshed.added,
      removed: refreshed.removed,
      changed: refreshed.changed,
      objects: next.set.objects.length,
      changes,
      result: next.result,
    });
    for (const listener of [...listeners]) {
      try {
        listener(next.result.table);
      } catch (error) {
        report({ kind: 'watch-error', message: `a table subscriber threw: ${String(error)}` });
      }
    }
    return true;
  }

  if (options.watch !== false) {
    watcher = watchRoots(store.roots, {
      onChange: () => {
        if (timer !== undefined) clearTimeout(timer);
        timer = setTimeout(() => {
          timer = undefined;
          reload();
        }, options.debounceMs ?? 100);
      },
      onError: (message) => report({ kind: 'watch-error', message }),
    });
  }

  return {
    current: () => snapshot.result.table,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    result: () => snapshot.result,
    objects: () => snapshot.set.objects,
    problems: () => store.files().flatMap((f) => (f.problem === undefined ? [] : [f.problem])),
    reload,
    close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      watcher?.close();
      listeners.clear();
    },
  };
}

/** Every file's objects as one set; a lone case file also lends its compile options. */
function compileAll(store: ManifestStore, flags: CompileFlags | undefined): Snapshot {
  const files: readonly FileEntry[] = store.files();
  const objects = files.flatMap((f) => f.objects);
  const withObjects = files.filter((f) => f.objects.length > 0);
  const only = withObjects.length === 1 ? withObjects[0] : undefined;
  const set: InputSet =
    only?.caseFile !== undefined
      ? { objects, fileCount: 1, caseFile: { file: only.file, info: only.caseFile } }
      : { objects, fileCount: withObjects.length };
  return { set, result: compileSet(set, flags).result };
}
