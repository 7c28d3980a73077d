/**
 * The file source: a {@link RouteSource} over YAML and JSON files and folders. It compiles every
 * object under the paths into one table, watches the paths, and after a quiet period (debounce)
 * re-reads what changed, recompiles and swaps the table in one assignment, so a request always
 * sees one whole table, old or new. A file that stops parsing is reported with its file and line,
 * its last good objects stay in use, and nothing else about the table changes because of it.
 */
import type { CompileResult, RouteSource, RouteTable } from '@switchyard/core';
import type { GatewayChoice } from '../gateway/select-gateway.js';
import type { CompileFlags } from '../load/input-sets.js';
import type { LocatedObject, ParseProblem } from '../load/parse-file.js';
import type { Refusal } from '../owners/apply-owners.js';
import type { TableChanges } from './diff.js';
import { createEngine, type EngineLoad, type EngineReload } from './engine.js';
import { watchRoots, type RootWatcher } from './watch.js';

export { OwnersFileError } from './engine.js';

export interface FileSourceOptions {
  /** Files and folders; folders are read recursively (`.yaml`, `.yml`, `.json`). */
  readonly paths: readonly string[];
  /** Relative paths resolve against this; default `process.cwd()`. */
  readonly cwd?: string;
  /** Quiet period after the last change before reloading, in milliseconds; default 100. */
  readonly debounceMs?: number;
  /** Watch the paths for changes; default true. */
  readonly watch?: boolean;
  /**
   * Which Gateway, route weights, delegation depth (as the CLI flags). The Gateway served is
   * fixed at start: `compile.gateway`, else the only Gateway among the objects; a reload never
   * switches to another one (see {@link FileSource.gateway}).
   */
  readonly compile?: CompileFlags;
  /**
   * The owners file (relative to `cwd`): which folder may declare which namespaces and Gateways.
   * Default: `owners.yaml` at the top of the first path, when it is a folder that has one; without any,
   * every file may declare anything (the load report says so with `owners: undefined`).
   */
  readonly owners?: string;
  /**
   * `createWorkerFileSource` only: the compile worker's heap limit in MB (`maxOldGenerationSizeMb`).
   * A file that needs more stops the worker, not the process; the last good table keeps serving.
   */
  readonly workerMemoryMb?: number;
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
      /** The owners file in force; undefined: any file may declare anything. */
      readonly owners: string | undefined;
      /** Objects the owners file keeps out. */
      readonly refusals: readonly Refusal[];
      /** The Gateway served from now on (when `ok`), or why there is no one Gateway. */
      readonly gateway: GatewayChoice;
    }
  | {
      readonly kind: 'reload';
      readonly added: readonly string[];
      readonly removed: readonly string[];
      readonly changed: readonly string[];
      readonly objects: number;
      readonly changes: TableChanges;
      readonly result: CompileResult;
      /** Objects the owners file keeps out of this table (all of them, not only new ones). */
      readonly refusals: readonly Refusal[];
    }
  | {
      /** A file's new text does not parse; `keptObjects` of its last good text stay in use. */
      readonly kind: 'parse-error';
      readonly problem: ParseProblem;
      readonly keptObjects: number;
    }
  | {
      /** The files changed but the last good table keeps serving: `reason` says why. */
      readonly kind: 'reload-refused';
      readonly reason: string;
      /** Where the cause is written, when it is in a file (the owners file that does not parse). */
      readonly problem?: ParseProblem;
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
  /** Objects the owners file keeps out of the table in use. */
  refusals(): readonly Refusal[];
  /** The Gateway chosen at start (fixed for every reload when `ok`), or why there was none. */
  gateway(): GatewayChoice;
  /** Re-reads the files now, as the watcher does after a change; returns whether the table was swapped. */
  reload(): boolean;
  /** Stops watching; the last table stays readable. */
  close(): void;
}

/**
 * Reads the paths (synchronously: `current()` is usable on return) and starts watching them.
 * Throws `MissingPathError` when a path (or the owners file) does not exist, `OwnersFileError`
 * when the owners file is malformed.
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
  const report = options.onReport ?? (() => {});
  const engine = createEngine({
    paths: options.paths,
    cwd: options.cwd ?? process.cwd(),
    ...(options.compile === undefined ? {} : { compile: options.compile }),
    ...(options.owners === undefined ? {} : { owners: options.owners }),
  });
  const listeners = new Set<(table: RouteTable) => void>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let watcher: RootWatcher | undefined;
  let closed = false;

  const loaded = engine.load();
  let snapshot = loaded.snapshot;
  const startChoice = snapshot.gateway;
  report(loadReport(loaded));

  function reload(): boolean {
    if (closed) return false;
    const { notes, swap } = engine.reload();
    notes.forEach(report);
    watcher?.refresh();
    if (swap === undefined) return false;
    snapshot = swap.snapshot; // the swap: one assignment, readers see the old table or the new one
    report(reloadReport(swap));
    for (const listener of [...listeners]) {
      try {
        listener(snapshot.result.table);
      } catch (error) {
        report({ kind: 'watch-error', message: `a table subscriber threw: ${String(error)}` });
      }
    }
    return true;
  }

  if (options.watch !== false) {
    watcher = watchRoots(engine.watched, {
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
    problems: () => engine.problems(),
    refusals: () => snapshot.refusals,
    gateway: () => startChoice,
    reload,
    close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      watcher?.close();
      listeners.clear();
    },
  };
}

/** The `load` report of a first read. */
export function loadReport(loaded: EngineLoad): FileSourceReport {
  return {
    kind: 'load',
    files: loaded.files,
    objects: loaded.snapshot.set.objects.length,
    result: loaded.snapshot.result,
    problems: loaded.problems,
    owners: loaded.owners,
    refusals: loaded.snapshot.refusals,
    gateway: loaded.snapshot.gateway,
  };
}

/** The `reload` report of a swap. */
export function reloadReport(swap: NonNullable<EngineReload['swap']>): FileSourceReport {
  return {
    kind: 'reload',
    added: swap.added,
    removed: swap.removed,
    changed: swap.changed,
    objects: swap.snapshot.set.objects.length,
    changes: swap.changes,
    result: swap.snapshot.result,
    refusals: swap.snapshot.refusals,
  };
}
