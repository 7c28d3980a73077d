/**
 * Rule 26: input that could make matching expensive is refused before any regex reads it. The cost
 * of a regex match grows with the input, so the path and the header values a regex reads are
 * capped. The path is checked up front; a header value when a candidate's regex is about to read
 * it (`prepared.ts`), so that only requests reaching such a route are refused.
 */
import type { ListenerRef, ResolveRequest, RespondDecision } from '../decision.js';
import {
  DEFAULT_MAX_HEADER_VALUE_LENGTH,
  DEFAULT_MAX_PATH_LENGTH,
  type RouteTable,
  type TableLimits,
} from '../table.js';

/** A 414 decision when the request target is over the table's limit, else undefined. */
export function inputTooLarge(
  table: RouteTable,
  request: ResolveRequest,
): RespondDecision | undefined {
  const maxPath = table.limits?.maxPathLength ?? DEFAULT_MAX_PATH_LENGTH;
  if (request.path.length <= maxPath) return undefined;
  return {
    kind: 'respond',
    status: 414,
    reason: `request target longer than ${maxPath} characters`,
    code: 'SWY_URI_TOO_LONG',
  };
}

/** The 431 for a header value a candidate's regex would have read, over `max` characters. */
export function headerTooLarge(name: string, max: number, listener: ListenerRef): RespondDecision {
  return {
    kind: 'respond',
    status: 431,
    reason: `header ${name} longer than ${max} characters`,
    code: 'SWY_HEADERS_TOO_LARGE',
    listener: { name: listener.name, port: listener.port },
  };
}

/** The limits of a table, from the compile options. */
export function tableLimits(options: {
  readonly maxPathLength?: number;
  readonly maxHeaderValueLength?: number;
}): TableLimits {
  return {
    maxPathLength: options.maxPathLength ?? DEFAULT_MAX_PATH_LENGTH,
    maxHeaderValueLength: options.maxHeaderValueLength ?? DEFAULT_MAX_HEADER_VALUE_LENGTH,
  };
}
