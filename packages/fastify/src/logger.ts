/**
 * Fastify's logger as the proxy engine's access logger. Fastify's logger is pino when logging is
 * on (used as is), and a null logger without `isLevelEnabled` when it is off, or any logger a user
 * passed in (`loggerInstance`); those get the one method the engine asks before building a line.
 */
import type { Logger } from '@switchyard/node';
import type { FastifyBaseLogger } from 'fastify';

const LEVELS: Readonly<Record<string, number>> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
};

/** The engine logger writing to `log`; `undefined` when `log` logs nothing. */
export function accessLogger(log: FastifyBaseLogger): Logger | undefined {
  if (typeof (log as Partial<Logger>).isLevelEnabled === 'function')
    return log as unknown as Logger;
  // Fastify's null logger has no level; a logger without one cannot say what it would print.
  const threshold = typeof log.level === 'string' ? LEVELS[log.level] : undefined;
  if (threshold === undefined) return undefined;
  const shim = {
    isLevelEnabled: (level: string) => (LEVELS[level] ?? 0) >= threshold,
    info: (object: unknown, message: string) => log.info(object, message),
    warn: (object: unknown, message: string) => log.warn(object, message),
  };
  // The engine calls nothing else on its logger (`logAccess` in @switchyard/node).
  return shim as unknown as Logger;
}
