/**
 * CORS on forwarded answers: the core decides which headers an allowed origin gets
 * (`corsResponseHeaders`); preflights never get here, the core answers them as `respond`
 * decisions.
 */
import { corsResponseHeaders } from '@switchyard/core';
import type { ForwardDecision } from '@switchyard/core';

/** The CORS headers for an answer to `origin` under `decision`, or undefined when none apply. */
export function corsHeadersFor(
  decision: ForwardDecision,
  origin: string | undefined,
): Readonly<Record<string, string>> | undefined {
  const cors = decision.cors;
  return cors === undefined ? undefined : corsResponseHeaders(cors, origin);
}
