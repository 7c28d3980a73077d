/**
 * The compile-only worker (`createCompileWorker`): receives a compile's input objects as parts,
 * compiles them with the options of the `compile` message, and answers with the result as parts
 * (`parts.ts`) and one `compiled` message, or a `failed` one. One compile at a time, in order.
 */
import { deserialize } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import { compile } from '@switchyard/core';
import { sendResult } from './parts.js';
import type { FromCompileThread, ToCompileThread } from './compile-thread-wire.js';

const port = parentPort!;
const post = (message: FromCompileThread, transfer?: ArrayBuffer[]): void =>
  port.postMessage(message, transfer);
let input: unknown[] = [];

port.on('message', (message: ToCompileThread) => {
  if (message.type === 'part') {
    for (const item of deserialize(message.bytes) as unknown[]) input.push(item);
    return;
  }
  const objects = input;
  input = [];
  try {
    const result = compile(objects, message.options);
    post({ type: 'compiled', id: message.id, wire: sendResult(result, post) });
  } catch (error) {
    post({
      type: 'failed',
      id: message.id,
      message: error instanceof Error ? error.message : String(error),
    });
  }
});
