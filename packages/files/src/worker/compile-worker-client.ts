/**
 * Core's `compile` in a worker thread, for sources other than files (the Kubernetes source takes
 * it as its `compiler`): the input goes to the worker in parts, serialised a slice at a time
 * between requests; the result comes back in parts and is assembled between requests too
 * (`parts.ts`). The caller keeps serving its last table until the promise resolves.
 */
import type { Worker } from 'node:worker_threads';
import type { CompileOptions, CompileResult } from '@switchyard/core';
import type { FromCompileThread, ToCompileThread } from './compile-thread-wire.js';
import { openResult, partsOf, type Part, type WireResult } from './parts.js';
import { inSlices } from './slices.js';
import { startWorker } from './start-worker.js';

export interface CompileWorker {
  /**
   * Compiles `input` in the worker. Calls run one after another, in order. Rejects when the
   * worker stops (out of memory on a hostile input, say); the next call starts a new worker.
   */
  compile(input: readonly unknown[], options?: CompileOptions): Promise<CompileResult>;
  /** Ends the worker; a compile in flight rejects. */
  close(): Promise<void>;
}

export interface CompileWorkerOptions {
  /** The worker's heap limit (`maxOldGenerationSizeMb`); Node's default when absent. */
  readonly memoryMb?: number;
}

interface Pending {
  readonly id: number;
  readonly parts: Part[];
  readonly resolve: (wire: WireResult) => void;
  readonly reject: (error: Error) => void;
}

/**
 * @example
 * ```ts
 * const compiler = createCompileWorker();
 * const { table } = await compiler.compile(objects, { gateway: { namespace: 'infra', name: 'http' } });
 * await compiler.close();
 * ```
 */
export function createCompileWorker(options: CompileWorkerOptions = {}): CompileWorker {
  let worker: Worker | undefined;
  let pending: Pending | undefined;
  let closed = false;
  let nextId = 1;
  let queue: Promise<unknown> = Promise.resolve();

  function ensureWorker(): Worker {
    if (worker !== undefined) return worker;
    const current = startWorker('compile-thread', undefined, options.memoryMb);
    let stopped: string | undefined;
    current.on('message', (message: FromCompileThread) => {
      if (message.type === 'part') pending?.parts.push(message);
      else if (pending?.id === message.id) {
        if (message.type === 'compiled') pending.resolve(message.wire);
        else pending.reject(new Error(`compile failed in the compile worker: ${message.message}`));
      }
    });
    current.on('error', (error) => (stopped = error.message));
    current.on('exit', (code) => {
      if (worker === current) worker = undefined;
      pending?.reject(
        new Error(
          closed
            ? 'the compile worker was closed'
            : `the compile worker stopped (${stopped ?? `exit code ${code}`}); the next compile starts a new one`,
        ),
      );
    });
    return (worker = current);
  }

  async function run(input: readonly unknown[], compileOptions: CompileOptions) {
    if (closed) throw new Error('the compile worker was closed');
    const current = ensureWorker();
    const id = nextId++;
    const parts: Part[] = [];
    const answer = new Promise<WireResult>((resolve, reject) => {
      pending = { id, parts, resolve, reject };
    });
    // The worker can stop while the input is still being sent: handled by the await below.
    answer.catch(() => undefined);
    try {
      const slices = inSlices();
      for (const part of partsOf('objects', input)) {
        const message: ToCompileThread = part;
        current.postMessage(message, [part.bytes.buffer as ArrayBuffer]);
        await slices.pause();
      }
      current.postMessage({ type: 'compile', id, options: compileOptions } as ToCompileThread);
      const wire = await answer;
      return await openResult(parts, wire);
    } finally {
      pending = undefined;
    }
  }

  return {
    compile(input, compileOptions = {}) {
      if (closed) return Promise.reject(new Error('the compile worker was closed'));
      const result = queue.then(() => run(input, compileOptions));
      queue = result.catch(() => undefined);
      return result;
    },
    async close() {
      closed = true;
      const current = worker;
      worker = undefined;
      pending?.reject(new Error('the compile worker was closed'));
      await current?.terminate();
    },
  };
}
