/**
 * Which backend serves this request, and where it is: the weighted pick (`pickBackend` from the
 * core), then the resolver. A backend's share may also end here: an invalid reference (500), a
 * backend-level redirect, or no endpoints (503).
 */
import { pickBackend } from '@switchyard/core';
import type { DecisionBackend, ForwardDecision } from '@switchyard/core';
import { InvalidConfigurationError, NoEndpointsError } from '../errors.js';
import type { SwitchyardError } from '../errors.js';
import type { EngineContext } from './context.js';
import { backendLabel } from '../labels.js';
import { headerSafe } from '../respond.js';

export type Choice =
  | {
      readonly kind: 'backend';
      readonly backend: DecisionBackend;
      readonly origins: readonly string[];
    }
  | {
      readonly kind: 'redirect';
      readonly backend: DecisionBackend;
      readonly status: number;
      readonly location: string;
    }
  | { readonly kind: 'error'; readonly backend: DecisionBackend; readonly error: SwitchyardError };

export function chooseBackend(ctx: EngineContext, decision: ForwardDecision): Choice {
  const backends = decision.backends;
  const backend = backends.length === 1 ? backends[0]! : pickBackend(backends, ctx.random());
  if (backend.invalid !== undefined) {
    return { kind: 'error', backend, error: new InvalidConfigurationError(backend.invalid.reason) };
  }
  if (backend.redirect !== undefined) {
    return { kind: 'redirect', backend, ...backend.redirect };
  }
  let address;
  try {
    address = ctx.resolver.resolve(backend);
  } catch (cause) {
    // A resolver is user code: its failure is this backend's problem, never the process's.
    return noEndpoints(backend, 'the resolver failed', cause);
  }
  if (address === undefined) return noEndpoints(backend, 'backend not resolvable');
  if (!('origins' in address) || address.origins.length === 0) {
    return noEndpoints(backend, 'reason' in address ? address.reason : 'none');
  }
  return { kind: 'backend', backend, origins: address.origins };
}

/** 503 naming the backend, in the body and in `x-switchyard-backend`. */
function noEndpoints(backend: DecisionBackend, reason: string, cause?: unknown): Choice {
  const label = backendLabel(backend);
  const error = new NoEndpointsError(
    `no endpoints: ${reason}: ${headerSafe(label)}`,
    cause === undefined ? undefined : { cause },
  );
  error.backend = label;
  return { kind: 'error', backend, error };
}
