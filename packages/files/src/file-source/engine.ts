/**
 * The work of the file source without its timers and subscribers: read the files, apply the
 * owners file, fix the served Gateway, compile, and decide whether a new snapshot may replace the
 * one in use. Synchronous and free of event-loop state, so the same code runs on the serving
 * thread (`createFileSource`) and in a worker thread (`createWorkerFileSource`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import type { GatewayKey } from '../gateway/select-gateway.js';
import { MissingPathError, resolveRoots, type InputRoot } from '../load/find-files.js';
import type { CompileFlags } from '../load/input-sets.js';
import { createManifestStore } from '../load/manifest-store.js';
import type { ParseProblem } from '../load/parse-file.js';
import { OWNERS_FILE, parseOwners, type Owners } from '../owners/owners-file.js';
import { diffResults, type TableChanges } from './diff.js';
import { buildSnapshot, swapRefusal, type Snapshot } from './snapshot.js';

export interface EngineOptions {
  readonly paths: readonly string[];
  readonly cwd: string;
  readonly compile?: CompileFlags;
  readonly owners?: string;
}

/** What happened during a read of the files that did not swap the table (or before it did). */
export type EngineNote =
  | { readonly kind: 'parse-error'; readonly problem: ParseProblem; readonly keptObjects: number }
  | { readonly kind: 'recovered'; readonly file: string }
  | { readonly kind: 'watch-error'; readonly message: string }
  | { readonly kind: 'reload-refused'; readonly reason: string; readonly problem?: ParseProblem };

export interface EngineLoad {
  readonly snapshot: Snapshot;
  readonly files: number;
  readonly problems: readonly ParseProblem[];
  readonly owners: string | undefined;
}

export interface EngineReload {
  readonly notes: readonly EngineNote[];
  /** Present when the table is to be swapped. */
  readonly swap?: {
    readonly snapshot: Snapshot;
    readonly added: readonly string[];
    readonly removed: readonly string[];
    readonly changed: readonly string[];
    readonly changes: TableChanges;
  };
}

export interface Engine {
  /** What to watch: the input roots and the owners file. */
  readonly watched: readonly InputRoot[];
  /** The first read; throws `MissingPathError` or `OwnersFileError`. */
  load(): EngineLoad;
  /** A later read after a change. Never throws. */
  /**
   * Re-reads the files and, when they, the owners file or `reconfigure` changed anything, builds a
   * new snapshot. `reconfigure` replaces some compile flags from now on (e.g. the addresses
   * `serve` learns only once its ports are bound).
   */
  reload(reconfigure?: Partial<CompileFlags>): EngineReload;
  /** Files whose current text does not parse. */
  problems(): readonly ParseProblem[];
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

interface OwnersInUse {
  readonly text: string;
  readonly owners: Owners;
}

export function createEngine(options: EngineOptions): Engine {
  const store = createManifestStore(options.paths, options.cwd);
  const ownersFile = locateOwnersFile(store.roots, options.owners, options.cwd);
  let owners: OwnersInUse | undefined;
  let snapshot: Snapshot | undefined;
  let pinned: GatewayKey | undefined;
  let compileFlags = options.compile;

  function load(): EngineLoad {
    const first = store.refresh();
    owners = ownersFile === undefined ? undefined : readOwners(ownersFile);
    snapshot = buildSnapshot(store.files(), owners?.owners, compileFlags, undefined);
    // Fixed from now on: a reload compiles this Gateway or is refused, never another one.
    pinned = snapshot.gateway.ok ? snapshot.gateway.gateway : compileFlags?.gateway;
    return { snapshot, files: store.files().length, problems: first.failed, owners: ownersFile };
  }

  function reload(reconfigure?: Partial<CompileFlags>): EngineReload {
    if (reconfigure !== undefined) compileFlags = { ...compileFlags, ...reconfigure };
    if (snapshot === undefined) throw new Error('reload() before load()');
    const notes: EngineNote[] = [];
    let refreshed;
    try {
      refreshed = store.refresh();
    } catch (error) {
      return {
        notes: [{ kind: 'watch-error', message: `reading the files failed: ${String(error)}` }],
      };
    }
    for (const problem of refreshed.failed) {
      const kept = store.files().find((f) => f.file === problem.location.file)?.objects.length ?? 0;
      notes.push({ kind: 'parse-error', problem, keptObjects: kept });
    }
    for (const file of refreshed.recovered) notes.push({ kind: 'recovered', file });
    const ownersText = ownersFile === undefined ? undefined : readText(ownersFile);
    const ownersChanged = ownersText !== owners?.text;
    if (!refreshed.objectsChanged && !ownersChanged && reconfigure === undefined) return { notes };
    let nextOwners = owners;
    if (ownersFile !== undefined && ownersChanged) {
      const read = ownersText === undefined ? undefined : parseOwners(ownersFile, ownersText);
      if (read === undefined || !read.ok) {
        const problem = read?.problem ?? {
          location: { file: ownersFile, line: 1, column: 1 },
          message: 'the owners file is gone',
        };
        const reason = `the owners file is unusable (${problem.message}); the last good table keeps serving`;
        notes.push({ kind: 'reload-refused', reason, problem });
        return { notes };
      }
      nextOwners = { text: ownersText!, owners: read.owners };
    }
    const next = buildSnapshot(store.files(), nextOwners?.owners, compileFlags, pinned);
    const refused = swapRefusal(snapshot, next, pinned);
    if (refused !== undefined) {
      notes.push({
        kind: 'reload-refused',
        reason: `${refused}; the last good table keeps serving`,
      });
      return { notes };
    }
    owners = nextOwners;
    const changes = diffResults(snapshot.result, next.result);
    snapshot = next;
    const { added, removed, changed } = refreshed;
    return { notes, swap: { snapshot: next, added, removed, changed, changes } };
  }

  return {
    watched: [
      ...store.roots,
      ...(ownersFile === undefined
        ? []
        : [{ given: ownersFile, absolute: ownersFile, isDirectory: false }]),
    ],
    load,
    reload,
    problems: () => store.files().flatMap((f) => (f.problem === undefined ? [] : [f.problem])),
  };
}

/** The owners file at start: a malformed one is an error, not "no owners". */
function readOwners(file: string): OwnersInUse {
  const text = readText(file);
  if (text === undefined) throw new MissingPathError(file);
  const read = parseOwners(file, text);
  if (!read.ok) throw new OwnersFileError(read.problem);
  return { text, owners: read.owners };
}

/**
 * The owners file that governs `paths`, as the file source finds it (for one-shot commands such
 * as `check` that apply the same owners): absolute path, or undefined when there is none. Throws
 * `MissingPathError` when `explicit` or a path does not exist.
 */
export function findOwnersFile(
  paths: readonly string[],
  cwd: string,
  explicit?: string,
): string | undefined {
  return locateOwnersFile(resolveRoots(paths, cwd), explicit, cwd);
}

/**
 * `explicit` (resolved against `cwd`), else `owners.yaml` at the top of the first served path when
 * it is a folder. Only the first: a team repository given as a later path must not bring the
 * owners file that governs everyone.
 */
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
  const first = roots[0];
  if (first === undefined || !first.isDirectory) return undefined;
  const file = join(first.absolute, OWNERS_FILE);
  return existsSync(file) ? file : undefined;
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
