/**
 * When the source compiles: changes are coalesced over `debounceMs` (never postponed: a steady
 * stream of changes still gets a run every `debounceMs`), at most one run is in flight, and any
 * number of changes during a run make exactly one run after it. A run may take seconds (a
 * compile in a worker thread); the table it replaces keeps serving meanwhile.
 */
export interface RecompileLoop {
  /** Something changed: a run starts after the debounce, or after the run in flight ends. */
  schedule(): void;
  /** True when no run is due or in flight. */
  isIdle(): boolean;
  /** Resolves when no run is due or in flight (or the loop is closed). */
  idle(): Promise<void>;
  /** No run starts any more; a run in flight finishes (its caller drops what it brings). */
  close(): void;
}

/**
 * @example
 * ```ts
 * const loop = createRecompileLoop(100, async () => swap(await compiler(input(), options)));
 * informer.onChange = () => loop.schedule();
 * ```
 */
export function createRecompileLoop(debounceMs: number, run: () => Promise<void>): RecompileLoop {
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  /** A change no run has started from yet. */
  let due = false;
  let closed = false;
  const waiters: (() => void)[] = [];

  const isIdle = (): boolean => closed || (!due && !running);
  const wakeWaiters = (): void => {
    if (isIdle()) for (const waiter of waiters.splice(0)) waiter();
  };

  function fire(): void {
    timer = undefined;
    // The run in flight starts the next one when it ends.
    if (running || closed) return;
    due = false;
    running = true;
    void run()
      .catch(() => {}) // the caller reports its own errors; the loop must go on
      .finally(() => {
        running = false;
        // The debounce of a change made during the run has passed already: run at once.
        if (due && timer === undefined && !closed) fire();
        wakeWaiters();
      });
  }

  return {
    schedule() {
      if (closed) return;
      due = true;
      timer ??= setTimeout(fire, debounceMs);
    },
    isIdle,
    idle: () => (isIdle() ? Promise.resolve() : new Promise<void>((r) => waiters.push(r))),
    close() {
      closed = true;
      clearTimeout(timer);
      timer = undefined;
      wakeWaiters();
    },
  };
}
