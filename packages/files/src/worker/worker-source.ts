/**
 * The file source with its work in a worker thread (node:worker_threads): reading, parsing,
 * the owners file, compiling and diffing happen there; the serving thread keeps answering from
 * the last table until the new one has arrived, and then swaps it in one assignment.
 *
 * How the result crosses (measured in benchmarks/reload/costs.ts, see benchmarks/RESULTS.md):
 * the compiled table is sent rather than the objects to re-compile, which costs several times
 * more on the serving thread; its routes and every other long list come as serialised parts, and
 * the serving thread decodes them, freezes the routes and builds the indexes a few milliseconds
 * at a time between requests (`wire.ts`).
 */
import type { Worker } from 'node:worker_threads';
import type { CompileResult, RouteSource, RouteTable } from '@switchyard/core';
import type { EngineOptions } from '../file-source/engine.js';
import { OwnersFileError } from '../file-source/engine.js';
import { diffResults } from '../file-source/diff.js';
import type { FileSourceOptions, FileSourceReport } from '../file-source/file-source.js';
import type { GatewayChoice } from '../gateway/select-gateway.js';
import { MissingPathError } from '../load/find-files.js';
import type { CompileFlags } from '../load/input-sets.js';
import type { LocatedObject, ParseProblem } from '../load/parse-file.js';
import type { Refusal } from '../owners/apply-owners.js';
import { watchRoots, type RootWatcher } from '../file-source/watch.js';
import { restAfter } from './slices.js';
import { startWorker } from './start-worker.js';
import type { Part } from './parts.js';
import { locatedObject, openSnapshot, type FromWorker, type WireSnapshot } from './wire.js';

/** A file source whose reloads run in a worker thread. */
export interface WorkerFileSource extends RouteSource {
  /** The compile result `current()` comes from (statuses, diagnostics). */
  result(): CompileResult;
  /** The objects in use; `locate` knows the fields the compile result names, else the object's line. */
  objects(): readonly LocatedObject[];
  problems(): readonly ParseProblem[];
  refusals(): readonly Refusal[];
  /** The Gateway chosen at start (fixed for every reload when `ok`), or why there was none. */
  gateway(): GatewayChoice;
  /** Re-reads the files now; resolves with whether the table was swapped. */
  reload(): Promise<boolean>;
  /**
   * Changes some compile flags (plain data) and compiles again with them, whether or not a file
   * changed; resolves with whether the table was swapped. For facts known only after start, such
   * as the ports the gateway bound (`ownAddresses`) or a reloaded backend map (`serviceAddresses`).
   */
  reconfigure(compile: Partial<CompileFlags>): Promise<boolean>;
  /** Stops watching and ends the worker; the last table stays readable. */
  close(): Promise<void>;
}

interface Served {
  readonly result: CompileResult;
  readonly objects: readonly LocatedObject[];
  readonly refusals: readonly Refusal[];
}

/**
 * Starts the worker and resolves once the first table is in (rejects with `MissingPathError` or
 * `OwnersFileError` as `createFileSource` throws them).
 *
 * @example
 * ```ts
 * const source = await createWorkerFileSource({ paths: ['teams'], onReport: console.log });
 * createRequestListener({ source, port: 8080, resolver });
 * ```
 */
export async function createWorkerFileSource(
  options: FileSourceOptions,
): Promise<WorkerFileSource> {
  const report = options.onReport ?? (() => {});
  const engineOptions: EngineOptions = {
    paths: options.paths,
    cwd: options.cwd ?? process.cwd(),
    ...(options.compile === undefined ? {} : { compile: options.compile }),
    ...(options.owners === undefined ? {} : { owners: options.owners }),
  };
  let worker: Worker;
  const listeners = new Set<(table: RouteTable) => void>();
  // The parts of the snapshot on its way (see wire.ts), kept as bytes until it is complete.
  let parts: Part[] = [];
  let served: Served | undefined;
  let problems: readonly ParseProblem[] = [];
  let watcher: RootWatcher | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  // One reload at a time; a change during one asks for another when it is done.
  let running: Promise<boolean> | undefined;
  let again = false;
  let answer: ((message: Extract<FromWorker, { type: 'reloaded' }>) => void) | undefined;
  // Compile flags changed by `reconfigure`: all of them for a new worker, the unsent ones for this.
  let reconfigured: Partial<CompileFlags> = {};
  let unsent: Partial<CompileFlags> | undefined;

  let stopped: string | undefined; // why the worker ended, when it ended without close()

  /** Starts a worker; resolves with its first load, rejects when it fails or ends before. */
  function spawn(data: EngineOptions): Promise<Extract<FromWorker, { type: 'loaded' }>> {
    stopped = undefined;
    worker = startWorker('compile-worker', data, options.workerMemoryMb);
    const current = worker;
    return new Promise((resolve, reject) => {
      current.on('message', (message: FromWorker) => {
        if (message.type === 'part') parts.push(message);
        else if (message.type === 'loaded') resolve(message);
        else if (message.type === 'failed') reject(workerError(message.error));
        else answer?.(message);
      });
      current.on('error', (error) => (stopped = error.message));
      current.on('exit', (code) => {
        if (closed || current !== worker) return;
        // Out of memory on a hostile file, or a crash: this process and its table live on.
        stopped ??= `exit code ${code}`;
        parts = [];
        const reason = `the compile worker stopped (${stopped}); the last good table keeps serving, and the next change starts a new worker`;
        reject(new Error(reason));
        answer?.({ type: 'reloaded', notes: [{ kind: 'reload-refused', reason }], problems });
      });
    });
  }

  /** The parts received so far plus `wire`, as what is served; resets the parts. */
  async function assemble(wire: WireSnapshot): Promise<Served> {
    const received = parts;
    parts = [];
    const { result, objects } = await openSnapshot(received, wire);
    return { result, objects: objects.map(locatedObject), refusals: wire.refusals };
  }

  let first;
  try {
    first = await spawn(engineOptions);
  } catch (error) {
    closed = true;
    await worker!.terminate();
    throw error;
  }
  served = await assemble(first.snapshot);
  problems = first.problems;
  const startChoice = first.snapshot.gateway;
  report({
    kind: 'load',
    files: first.files,
    objects: served.objects.length,
    result: served.result,
    problems: first.problems,
    owners: first.owners,
    refusals: served.refusals,
    gateway: first.snapshot.gateway,
  });

  async function reloadOnce(): Promise<boolean> {
    if (stopped !== undefined) return restart();
    const message = await new Promise<Extract<FromWorker, { type: 'reloaded' }>>((resolve) => {
      answer = resolve;
      const compile = unsent;
      unsent = undefined;
      worker.postMessage(compile === undefined ? { type: 'reload' } : { type: 'reload', compile });
    });
    answer = undefined;
    problems = message.problems;
    message.notes.forEach((note) => report(note));
    watcher?.refresh();
    if (message.swap === undefined || closed) return false;
    const next = await assemble(message.swap.snapshot);
    served = next; // the swap: one assignment, readers see the old table or the new one
    const { added, removed, changed, changes } = message.swap;
    const reloaded: FileSourceReport = {
      kind: 'reload',
      added,
      removed,
      changed,
      objects: next.objects.length,
      changes,
      result: next.result,
      refusals: next.refusals,
    };
    const reporting = performance.now();
    report(reloaded);
    // What the reporter and the subscribers do with a large table (summaries, checks) are tasks
    // of their own with a rest between them, so a request in flight waits for one of them at most.
    await restAfter(performance.now() - reporting);
    if (served === next) notify(next.result.table);
    return true;
  }

  /** After the worker stopped: a new one loads everything, for the Gateway fixed at start. */
  async function restart(): Promise<boolean> {
    const pinned = startChoice.ok ? { gateway: startChoice.gateway } : {};
    let next;
    try {
      unsent = undefined;
      next = await spawn({
        ...engineOptions,
        compile: { ...options.compile, ...reconfigured, ...pinned },
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      report({ kind: 'reload-refused', reason: `${reason}; the last good table keeps serving` });
      return false;
    }
    problems = next.problems;
    watcher?.refresh();
    if (closed) return false;
    if (!next.snapshot.gateway.ok) {
      report({
        kind: 'reload-refused',
        reason: `${next.snapshot.gateway.message}; the last good table keeps serving`,
      });
      parts = [];
      return false;
    }
    const previous = served!.result;
    const assembled = await assemble(next.snapshot);
    served = assembled; // the swap
    report({
      kind: 'reload',
      added: [],
      removed: [],
      changed: [],
      objects: assembled.objects.length,
      changes: diffResults(previous, assembled.result),
      result: assembled.result,
      refusals: assembled.refusals,
    });
    notify(assembled.result.table);
    return true;
  }

  function notify(table: RouteTable): void {
    for (const listener of [...listeners]) {
      try {
        listener(table);
      } catch (error) {
        report({ kind: 'watch-error', message: `a table subscriber threw: ${String(error)}` });
      }
    }
  }

  function reload(): Promise<boolean> {
    if (closed) return Promise.resolve(false);
    if (running !== undefined) {
      again = true;
      return running;
    }
    running = reloadOnce().finally(() => {
      running = undefined;
      if (again && !closed) {
        again = false;
        void reload();
      }
    });
    return running;
  }

  if (options.watch !== false) {
    watcher = watchRoots(first.watched, {
      onChange: () => {
        if (timer !== undefined) clearTimeout(timer);
        timer = setTimeout(() => {
          timer = undefined;
          void reload();
        }, options.debounceMs ?? 100);
      },
      onError: (message) => report({ kind: 'watch-error', message }),
    });
  }

  return {
    current: () => served!.result.table,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    result: () => served!.result,
    objects: () => served!.objects,
    problems: () => problems,
    refusals: () => served!.refusals,
    gateway: () => startChoice,
    reload,
    reconfigure(compile) {
      reconfigured = { ...reconfigured, ...compile };
      unsent = { ...unsent, ...compile };
      return reload();
    },
    async close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      watcher?.close();
      listeners.clear();
      answer?.({ type: 'reloaded', notes: [], problems });
      await worker.terminate();
    },
  };
}

function workerError(error: Extract<FromWorker, { type: 'failed' }>['error']): Error {
  if (error.problem !== undefined) return new OwnersFileError(error.problem);
  if (error.path !== undefined) return new MissingPathError(error.path);
  const rebuilt = new Error(error.message);
  rebuilt.name = error.name;
  return rebuilt;
}
