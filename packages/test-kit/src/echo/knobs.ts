/**
 * The data-plane knobs of FORMAT.md, as the Gateway API echo server has them:
 * `?delay=<duration>` delays the answer; `x-echo-set-header: name:value,name2:value2` sets
 * response headers; path prefix `/retry/` with `uuid`, `succeedAfter=N`, `responseCode=<code>`
 * and `delayRetry=<duration>` makes the first N attempts for that uuid fail (with that status, or
 * with a TCP reset when no code is given), each failing attempt answering after `delayRetry`.
 */
import { parseDuration } from '@switchyard/core';

export interface RetryKnob {
  readonly uuid: string;
  readonly succeedAfter: number;
  /** Undefined: fail with a connection reset. */
  readonly responseCode?: number;
  readonly delayRetryMs: number;
}

export interface Knobs {
  /** Delay of a successful answer, ms. */
  readonly delayMs: number;
  readonly retry?: RetryKnob;
  /** Response headers to set, in order. */
  readonly setHeaders: readonly (readonly [string, string])[];
}

function duration(text: string | null): number {
  if (text === null || text === '') return 0;
  return parseDuration(text) ?? 0;
}

/** Reads the knobs of one request (`url` is the request target, `setHeader` the header value). */
export function readKnobs(url: string, setHeader: string | undefined): Knobs {
  const question = url.indexOf('?');
  const path = question === -1 ? url : url.slice(0, question);
  const query = new URLSearchParams(question === -1 ? '' : url.slice(question + 1));
  const setHeaders: [string, string][] = [];
  for (const pair of setHeader === undefined ? [] : setHeader.split(',')) {
    const colon = pair.indexOf(':');
    if (colon <= 0) continue;
    setHeaders.push([pair.slice(0, colon).trim(), pair.slice(colon + 1).trim()]);
  }
  const uuid = query.get('uuid');
  const retry: RetryKnob | undefined =
    path.startsWith('/retry/') && uuid !== null
      ? {
          uuid,
          succeedAfter: Number(query.get('succeedAfter') ?? '0') || 0,
          ...(query.get('responseCode') === null
            ? {}
            : { responseCode: Number(query.get('responseCode')) }),
          delayRetryMs: duration(query.get('delayRetry')),
        }
      : undefined;
  return {
    delayMs: duration(query.get('delay')),
    ...(retry === undefined ? {} : { retry }),
    setHeaders,
  };
}
