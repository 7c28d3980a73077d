/** Exponential backoff with full jitter, for re-listing and re-watching after errors. */

export interface BackoffOptions {
  /** First delay, milliseconds. Default 500. */
  readonly initialMs?: number;
  /** Largest delay, milliseconds. Default 30 000. */
  readonly maxMs?: number;
}

export interface Backoff {
  /** The next delay: a random value up to the current ceiling, which then doubles. */
  next(): number;
  /** Back to the initial delay, after a success. */
  reset(): void;
}

/**
 * @example
 * ```ts
 * const backoff = createBackoff({ initialMs: 100, maxMs: 5000 });
 * setTimeout(retry, backoff.next());
 * ```
 */
export function createBackoff(
  options: BackoffOptions = {},
  random: () => number = Math.random,
): Backoff {
  const initial = options.initialMs ?? 500;
  const max = Math.max(initial, options.maxMs ?? 30_000);
  let ceiling = initial;
  return {
    next() {
      // Half fixed, half random: never zero, and replicas restarting together spread out.
      const delay = ceiling / 2 + (random() * ceiling) / 2;
      ceiling = Math.min(max, ceiling * 2);
      return Math.round(delay);
    },
    reset() {
      ceiling = initial;
    },
  };
}
