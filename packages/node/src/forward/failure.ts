/**
 * What went wrong on the backend leg, from undici's and Node's error codes: whether a retry may
 * help, and which answer the client gets when no retry is left.
 */
import {
  BackendProtocolError,
  BackendSaturatedError,
  BackendTimeoutError,
  BackendUnavailableError,
  BackendUnreachableError,
  DestinationDeniedError,
  NoEndpointsError,
  SelfTargetError,
} from '../errors.js';
import type { SwitchyardError } from '../errors.js';

export type FailureKind =
  /** Refused, reset, closed before the answer: worth another attempt. */
  | 'connection'
  /** Connect, header or body timeout, or `timeouts.backendRequest`: worth another attempt. */
  | 'timeout'
  /** The name does not resolve: no endpoints. */
  | 'dns'
  /** The backend spoke invalid HTTP: another attempt would get the same. */
  | 'protocol'
  /** The destination is this gateway (decision 21): refused, never retried. */
  | 'self_target'
  /** The destination policy denies the address (decision 22): refused, never retried. */
  | 'destination_denied'
  /** The backend's pool and queue are full, or the queue wait timed out: never retried. */
  | 'saturated';

/** Kinds another attempt cannot change. */
export function isFinal(kind: FailureKind): boolean {
  return (
    kind === 'protocol' ||
    kind === 'self_target' ||
    kind === 'destination_denied' ||
    kind === 'saturated'
  );
}

const TIMEOUT_CODES: ReadonlySet<string> = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
  'SWY_BACKEND_TIMEOUT',
]);

const DNS_CODES: ReadonlySet<string> = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME']);

const PROTOCOL_CODES: ReadonlySet<string> = new Set([
  'UND_ERR_HEADERS_OVERFLOW',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'UND_ERR_RES_EXCEEDED_MAX_SIZE',
  'UND_ERR_INVALID_ARG',
  'ERR_INVALID_HTTP_TOKEN',
  'ERR_INVALID_CHAR',
]);

/** The refusal's own cause (what resolved to what), rather than the refusal itself. */
function causeOf(error: unknown): unknown {
  return (error as { cause?: unknown } | null)?.cause ?? error;
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/** Classifies an error of one backend attempt. */
export function classifyFailure(error: unknown): FailureKind {
  const code = codeOf(error);
  if (code === 'SWY_SELF_TARGET') return 'self_target';
  if (code === 'SWY_DESTINATION_DENIED') return 'destination_denied';
  if (code === 'SWY_BACKEND_SATURATED') return 'saturated';
  if (TIMEOUT_CODES.has(code)) return 'timeout';
  if (DNS_CODES.has(code)) return 'dns';
  if (PROTOCOL_CODES.has(code) || code.startsWith('HPE_')) return 'protocol';
  const message = (error as Error | null)?.message ?? '';
  if (message === 'bad response' || message === 'bad upgrade') return 'protocol';
  return 'connection';
}

/**
 * The answer after the last attempt failed. `retried` is true when a retry policy was in force:
 * connection failures then mean "unavailable" (503) rather than one unreachable attempt (502).
 */
export function failureError(kind: FailureKind, retried: boolean, cause: unknown): SwitchyardError {
  const options = { cause };
  switch (kind) {
    case 'timeout':
      return new BackendTimeoutError('backend timeout', options);
    case 'dns':
      return new NoEndpointsError('no endpoints: backend name does not resolve', options);
    case 'protocol':
      return new BackendProtocolError('invalid backend response', options);
    case 'self_target':
      return new SelfTargetError(undefined, { cause: causeOf(cause) });
    case 'destination_denied':
      return new DestinationDeniedError(undefined, { cause: causeOf(cause) });
    case 'saturated':
      return cause instanceof BackendSaturatedError ? cause : new BackendSaturatedError();
    default:
      return retried
        ? new BackendUnavailableError('backend unavailable after retries', options)
        : new BackendUnreachableError('backend unreachable', options);
  }
}
