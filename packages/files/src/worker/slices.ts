/**
 * Long work on the serving thread, cut into slices: after {@link SLICE_MS} of work the thread
 * returns to its event loop (`setImmediate`, which lets pending I/O run first), so a request that
 * arrives meanwhile waits at most about one slice.
 */

/** Work done between two returns to the event loop, in milliseconds. */
export const SLICE_MS = 4;

export interface Slices {
  /** Returns to the event loop when this slice's time is spent; else resolves at once. */
  pause(): Promise<void>;
  /** Runs a stepwise computation (a generator that yields between bounded steps) to its end. */
  run<T>(steps: Generator<void, T, void>): Promise<T>;
}

export function inSlices(sliceMs: number = SLICE_MS): Slices {
  let deadline = performance.now() + sliceMs;
  const pause = async (): Promise<void> => {
    if (performance.now() < deadline) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    deadline = performance.now() + sliceMs;
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
