/**
 * The file source: a {@link RouteSource} over YAML and JSON files and folders. It compiles every
 * object under the paths into one table, watches the paths, and after a quiet period (debounce)
 * re-reads what changed, recompiles and swaps the table in one assignment, so a request always
 * sees one whole table, old or new. A file that stops parsing is reported with its file and line,
 * its last good objects stay in use, and nothing else about the table changes because of it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import type { CompileResult, RouteSource, RouteTable } from '@switchyard/core';
import type { GatewayChoice } from '../gateway/select-gateway.js';
import { MissingPathError, type InputRoot } from '../load/find-files.js';
import type { CompileFlags } from '../load/input-sets.js';
import { createManifestStore, type RefreshResult } from '../load/manifest-store.js';
import type { Refusal } from '../owners/apply-owners.js';
import { OWNERS_FILE, parseOwners, type Owners } from '../owners/owners-file.js';
import { buildSnapshot, swapRefusal } from './snapshot.js';
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
  /**
   * Which Gateway, route weights, delegation depth (as the CLI flags). The Gateway served is
   * fixed at start: `compile.gateway`, else the only Gateway among the objects; a reload never
   * switches to another one (see {@link FileSource.gateway}).
   */
  readonly compile?: CompileFlags;
  /**
   * The owners file (relative to `cwd`): which folder may declare which namespaces and Gateways.
   * Default: `owners.yaml` at the top of the first served folder that has one; without any,
   * every file may declare anything (the load report says so with `owners: undefined`).
   */
  readonly owners?: string;
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

/** The owners file does not parse or check out at start (a reload keeps the last good one). */
export class OwnersFileError extends Error {
  constructor(readonly problem: ParseProblem) {
    super(
      `${problem.location.file}:${problem.location.line}:${problem.location.column}: ${problem.message}`,
    );
    this.name = 'OwnersFileError';
  }
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
  const cwd = options.cwd ?? process.cwd();
  const report = options.onReport ?? (() => {});
  const store = createManifestStore(options.paths, cwd);
  const ownersFile = locateOwnersFile(store.roots, options.owners, cwd);
  const listeners = new Set<(table: RouteTable) => void>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let watcher: RootWatcher | undefined;
  let closed = false;

  const first = store.refresh();
  let owners = ownersFile === undefined ? undefined : readOwners(ownersFile);
  let snapshot = buildSnapshot(store.files(), owners?.owners, options.compile, undefined);
  // Fixed from now on: a reload compiles this Gateway or is refused, never another one.
  const pinned = snapshot.gateway.ok ? snapshot.gateway.gateway : options.compile?.gateway;
  const startChoice = snapshot.gateway;
  report({
    kind: 'load',
    files: store.files().length,
    objects: snapshot.set.objects.length,
    result: snapshot.result,
    problems: first.failed,
    owners: ownersFile,
    refusals: snapshot.refusals,
    gateway: startChoice,
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
    const ownersText = ownersFile === undefined ? undefined : readText(ownersFile);
    const ownersChanged = ownersText !== owners?.text;
    if (!refreshed.objectsChanged && !ownersChanged) return false;
    let nextOwners = owners;
    if (ownersFile !== undefined && ownersChanged) {
      const read = ownersText === undefined ? undefined : parseOwners(ownersFile, ownersText);
      if (read === undefined || !read.ok) {
        const problem = read?.problem ?? {
          location: { file: ownersFile, line: 1, column: 1 },
          message: 'the owners file is gone',
        };
        report({
          kind: 'reload-refused',
          reason: `the owners file is unusable (${problem.message}); the last good table keeps serving`,
          problem,
        });
        return false;
      }
      nextOwners = { text: ownersText!, owners: read.owners };
    }
    const next = buildSnapshot(store.files(), nextOwners?.owners, options.compile, pinned);
    const refused = swapRefusal(snapshot, next, pinned);
    if (refused !== undefined) {
      report({ kind: 'reload-refused', reason: `${refused}; the last good table keeps serving` });
      return false;
    }
    owners = nextOwners;
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
      refusals: next.refusals,
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
    const extra = ownersFile === undefined ? [] : [ownersRoot(ownersFile)];
    watcher = watchRoots([...store.roots, ...extra], {
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

interface OwnersInUse {
  readonly text: string;
  readonly owners: Owners;
}

/** The owners file at start: a malformed one is an error, not "no owners". */
function readOwners(file: string): OwnersInUse {
  const text = readText(file);
  if (text === undefined) throw new MissingPathError(file);
  const read = parseOwners(file, text);
  if (!read.ok) throw new OwnersFileError(read.problem);
  return { text, owners: read.owners };
}

/** `explicit` (resolved against `cwd`), else `owners.yaml` at the top of the first folder with one. */
function locateOwnersFile(
  roots: readonly InputRoot[],
  explicit: string | undefined,
  cwd: string,
): string | undefined {
  if (explicit !== undefined) {
    const file = resolvePath(cwd, explicit);
    if (!existsSync(file)) throw new MissingPathError(explicit);
    return file;
  }
  for (const root of roots) {
    if (!root.isDirectory) continue;
    const file = join(root.absolute, OWNERS_FILE);
    if (existsSync(file)) return file;
  }
  return undefined;
}

/** Watch the owners file like a file given on the command line (through its folder). */
function ownersRoot(file: string): InputRoot {
  return { given: file, absolute: file, isDirectory: false };
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
