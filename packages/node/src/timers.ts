/**
 * Decision 20: a duration beyond what a Node timer can hold (2^31-1 ms, about 24.8 days) is the
 * longest timer there is, never an immediate one. Node fires an overflowing `setTimeout` after
 * 1 ms (with a warning), so `timeouts.request: 99999h` would fail every request at once. Every
 * delay the proxy arms, its own or undici's, goes through `clampDelay`.
 */

/** The longest delay `setTimeout` honours. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** `ms` within `[0, MAX_TIMER_MS]`; NaN counts as 0. */
export function clampDelay(ms: number): number {
  if (!(ms > 0)) return 0;
  return ms > MAX_TIMER_MS ? MAX_TIMER_MS : ms;
}

/** `setTimeout` with a clamped delay; unref'd so a pending timer never keeps a process alive. */
export function armTimer<T>(callback: (arg: T) => void, ms: number, arg: T): NodeJS.Timeout {
  const timer = setTimeout(callback, clampDelay(ms), arg);
  timer.unref();
  return timer;
}
