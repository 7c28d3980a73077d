/**
 * Long work on the serving thread, cut into slices, with rests between them.
 *
 * After {@link SLICE_MS} of work the thread rests twice as long as the slice took (garbage
 * collection included, capped at {@link MAX_REST_MS}): a timer, not `setImmediate`. A proxied request needs
 * several event-loop turns (read the request, write to the backend, read its answer, write it
 * back); had every turn carried a slice, each request would wait several slices and the
 * collections they trigger. Measured at 50k routes through `serve` (benchmarks/reload/serve.ts),
 * a turn per slice let requests wait up to 0.9 s while the table was assembled (p99 160-260 ms);
 * resting as long as each slice, p99 61-104 ms; resting twice as long, 26-32 ms, the assembly
 * taking about three times its CPU time.
 */

/** Work done between two rests, in milliseconds. */
export const SLICE_MS = 4;
/** Rest per millisecond of work. */
export const REST_PER_WORK = 2;
/** The longest rest, in milliseconds. */
export const MAX_REST_MS = 50;

export interface Slices {
  /** Rests when this slice's time is spent; else resolves at once. */
  pause(): Promise<void>;
  /** Runs a stepwise computation (a generator that yields between bounded steps) to its end. */
  run<T>(steps: Generator<void, T, void>): Promise<T>;
}

/** Rests after `spentMs` of work: {@link REST_PER_WORK} times as long, at most {@link MAX_REST_MS}. */
export function restAfter(spentMs: number): Promise<void> {
  const rest = Math.min(MAX_REST_MS, Math.ceil(REST_PER_WORK * spentMs));
  return new Promise<void>((resolve) => setTimeout(resolve, rest));
}

export function inSlices(sliceMs: number = SLICE_MS): Slices {
  let started = performance.now();
  const pause = async (): Promise<void> => {
    const spent = performance.now() - started;
    if (spent < sliceMs) return;
    await restAfter(spent);
    started = performance.now();
  };
  return {
    pause,
    async run(steps) {
      for (;;) {
        const step = steps.next();
        if (step.done === true) return step.value;
        await pause();
      }
    },
  };
}
