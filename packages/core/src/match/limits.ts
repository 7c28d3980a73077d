/**
 * Rule 26: input that could make matching expensive is refused before any regex runs. The cost of
 * a regex match grows with the input, so the path and the header values a regex reads are capped.
 */
import type { ResolveRequest, RespondDecision } from '../decision.js';
import {
  DEFAULT_MAX_HEADER_VALUE_LENGTH,
  DEFAULT_MAX_PATH_LENGTH,
  type FlatRoute,
  type RouteTable,
  type TableLimits,
} from '../table.js';
import { headerValue } from './request-view.js';

/** A 414 or 431 decision when the request is over the table's limits, else undefined. */
export function inputTooLarge(
  table: RouteTable,
  request: ResolveRequest,
): RespondDecision | undefined {
  const limits = table.limits;
  const maxPath = limits?.maxPathLength ?? DEFAULT_MAX_PATH_LENGTH;
  if (request.path.length > maxPath) {
    return {
      kind: 'respond',
      status: 414,
      reason: `request target longer than ${maxPath} characters`,
      code: 'SWY_URI_TOO_LONG',
    };
  }
  if (limits === undefined || limits.regexHeaderNames.length === 0) return undefined;
  for (const name of limits.regexHeaderNames) {
    const value = headerValue(request.headers, name);
    if (value !== undefined && value.length > limits.maxHeaderValueLength) {
      return {
        kind: 'respond',
        status: 431,
        reason: `header ${name} longer than ${limits.maxHeaderValueLength} characters`,
        code: 'SWY_HEADERS_TOO_LARGE',
      };
    }
  }
  return undefined;
}

/** The limits of a table over `routes`, with the headers their regexes (and guards') read. */
export function tableLimits(
  routes: Iterable<FlatRoute>,
  options: { readonly maxPathLength?: number; readonly maxHeaderValueLength?: number },
): TableLimits {
  const names = new Set<string>();
  for (const route of routes) {
    for (const match of [route.match, ...route.guards]) {
      for (const header of match.headers)
        if (header.type === 'RegularExpression') names.add(header.name.toLowerCase());
    }
  }
  return {
    maxPathLength: options.maxPathLength ?? DEFAULT_MAX_PATH_LENGTH,
    maxHeaderValueLength: options.maxHeaderValueLength ?? DEFAULT_MAX_HEADER_VALUE_LENGTH,
    regexHeaderNames: [...names].sort(),
  };
}
