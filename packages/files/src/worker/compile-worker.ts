/**
 * The compile worker: runs the file source's engine (read, parse, owners, compile, diff) off the
 * serving thread, so a team's 16,000-rule file never stalls requests (delegation.md rule 28).
 * Started by `createWorkerFileSource` with the engine options as `workerData`; answers the first
 * load unprompted and each `reload` message with one `reloaded` message (after its parts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createEngine, OwnersFileError, type EngineOptions } from '../file-source/engine.js';
import { MissingPathError } from '../load/find-files.js';
import { sendSnapshot, type FromWorker, type Post, type ToWorker } from './wire.js';

const port = parentPort!;
const post: Post = (message, transfer) => port.postMessage(message, transfer);

function failed(error: unknown): FromWorker {
  const base = {
    name: error instanceof Error ? error.name : 'Error',
    message: error instanceof Error ? error.message : String(error),
  };
  if (error instanceof OwnersFileError)
    return { type: 'failed', error: { ...base, problem: error.problem } };
  if (error instanceof MissingPathError)
    return { type: 'failed', error: { ...base, path: error.path } };
  return { type: 'failed', error: base };
}

try {
  const engine = createEngine(workerData as EngineOptions);
  const loaded = engine.load();
  const snapshot = sendSnapshot(loaded.snapshot, post);
  post({
    type: 'loaded',
    watched: engine.watched,
    snapshot,
    files: loaded.files,
    problems: loaded.problems,
    owners: loaded.owners,
  });
  port.on('message', (message: ToWorker) => {
    if (message.type !== 'reload') return;
    const { notes, swap } = engine.reload(message.compile);
    const problems = engine.problems();
    if (swap === undefined) {
      post({ type: 'reloaded', notes, problems });
      return;
    }
    const { snapshot: next, ...files } = swap;
    post({
      type: 'reloaded',
      notes,
      problems,
      swap: { ...files, snapshot: sendSnapshot(next, post) },
    });
  });
} catch (error) {
  post(failed(error));
}
