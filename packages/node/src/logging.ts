/**
 * Access logs through pino: one line per exchange with the route chain, the backend, the status
 * and the duration. The proxy takes any pino logger; `false` turns logging off.
 */
import { pino } from 'pino';
import type { Logger } from 'pino';
import type { RouteRef } from '@switchyard/core';

export type { Logger } from 'pino';

/** One finished exchange, as logged. */
export interface AccessEntry {
  readonly requestId: string | undefined;
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly host: string | undefined;
  readonly status: number;
  readonly durationMs: number;
  /** Top-level route first, `namespace/name#rule`. */
  readonly chain: readonly RouteRef[] | undefined;
  readonly backend: string;
  readonly upstream: string | undefined;
  readonly attempts: number;
  /** Error code when the gateway answered with an error or the exchange broke. */
  readonly error: string | undefined;
  readonly cause: unknown;
}

/** A pino logger at `level` (default `info`), JSON to stdout. */
export function defaultLogger(level = 'info'): Logger {
  return pino({ level, base: { name: 'switchyard' } });
}

function chainText(chain: readonly RouteRef[]): string {
  let text = '';
  for (const ref of chain) {
    if (text !== '') text += ' > ';
    text += `${ref.namespace}/${ref.name}#${ref.ruleName ?? ref.ruleIndex}`;
  }
  return text;
}

/** Writes one access-log line: `info` for answers below 500, `warn` for gateway errors. */
export function logAccess(logger: Logger, entry: AccessEntry): void {
  const level = entry.error !== undefined && entry.status >= 500 ? 'warn' : 'info';
  if (!logger.isLevelEnabled(level)) return;
  const line: Record<string, unknown> = {
    reqId: entry.requestId,
    method: entry.method,
    url: entry.url,
    host: entry.host,
    status: entry.status,
    durationMs: Math.round(entry.durationMs * 1000) / 1000,
    route: entry.chain === undefined ? undefined : chainText(entry.chain),
    backend: entry.backend === '' ? undefined : entry.backend,
    upstream: entry.upstream,
    attempts: entry.attempts,
  };
  if (entry.error !== undefined) {
    line['error'] = entry.error;
    const cause = entry.cause as { message?: unknown; code?: unknown } | undefined;
    if (cause !== undefined && cause !== null) {
      line['cause'] = { message: String(cause.message ?? cause), code: cause.code };
    }
  }
  logger[level](line, 'request');
}
