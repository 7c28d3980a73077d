/** The messages between `createCompileWorker` and its thread (`compile-thread.ts`). */
import type { CompileOptions } from '@switchyard/core';
import type { Part, WireResult } from './parts.js';

export type ToCompileThread =
  Part | { readonly type: 'compile'; readonly id: number; readonly options: CompileOptions };

export type FromCompileThread =
  | Part
  | { readonly type: 'compiled'; readonly id: number; readonly wire: WireResult }
  | { readonly type: 'failed'; readonly id: number; readonly message: string };
