/**
 * The errors the proxy answers with, each with a stable `code` (documented in `docs/errors.md`)
 * and the HTTP status the client receives. Bodies are one short line of text; a stack trace never
 * reaches a client. Invalid Kubernetes objects are not errors here: they are route statuses, and
 * at request time the core's `respond` decisions (400, 404, 421, 500).
 */

import type { IntakeErrorCode } from './intake-errors.js';

/** Every error code the proxy uses; the `x-switchyard-error` response header carries one. */
export type SwitchyardErrorCode =
  | 'SWY_BAD_REQUEST'
  | 'SWY_NO_ROUTE'
  | 'SWY_MISDIRECTED_REQUEST'
  | 'SWY_HEADERS_TOO_LARGE'
  | 'SWY_URI_TOO_LONG'
  | 'SWY_INVALID_CONFIGURATION'
  | 'SWY_BACKEND_UNREACHABLE'
  | 'SWY_SELF_TARGET'
  | 'SWY_DESTINATION_DENIED'
  | 'SWY_BACKEND_SATURATED'
  | 'SWY_BODY_TIMEOUT'
  | 'SWY_BACKEND_PROTOCOL'
  | 'SWY_UPGRADE_FAILED'
  | 'SWY_NO_ENDPOINTS'
  | 'SWY_BACKEND_UNAVAILABLE'
  | 'SWY_BACKEND_TIMEOUT'
  | 'SWY_REQUEST_TIMEOUT'
  | 'SWY_CLIENT_ABORTED'
  | 'SWY_CERTIFICATE_NOT_FOUND'
  | 'SWY_CERTIFICATE_INVALID'
  | 'SWY_INVALID_OPTION'
  | IntakeErrorCode;

/** Base class: `code` is stable across releases, `status` is what the client is answered. */
export class SwitchyardError extends Error {
  override readonly name: string = 'SwitchyardError';
  /**
   * The backend this answer is about (`namespace/name:port`, `Kind:namespace/name:port` for other
   * kinds), when one was chosen: sent in the `x-switchyard-backend` header.
   */
  backend: string | undefined;
  constructor(
    message: string,
    readonly code: SwitchyardErrorCode,
    /** The HTTP status answered; 0 when no answer is sent (the client is gone, startup errors). */
    readonly status: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** 400: the request target is malformed (bad percent-encoding, NUL, no leading `/`) or unparsable. */
export class BadRequestError extends SwitchyardError {
  override readonly name = 'BadRequestError';
  constructor(message = 'bad request', options?: { cause?: unknown }) {
    super(message, 'SWY_BAD_REQUEST', 400, options);
  }
}

/** 404: no route matches on the listener the request arrived on. */
export class NoRouteError extends SwitchyardError {
  override readonly name = 'NoRouteError';
  constructor(message = 'no route') {
    super(message, 'SWY_NO_ROUTE', 404);
  }
}

/** 421: the Host belongs to another HTTPS listener than the TLS server name chose. */
export class MisdirectedRequestError extends SwitchyardError {
  override readonly name = 'MisdirectedRequestError';
  constructor(message = 'misdirected request') {
    super(message, 'SWY_MISDIRECTED_REQUEST', 421);
  }
}

/** 431: the request headers exceed the server's `maxHeaderSize`. */
export class HeadersTooLargeError extends SwitchyardError {
  override readonly name = 'HeadersTooLargeError';
  constructor(message = 'request header fields too large') {
    super(message, 'SWY_HEADERS_TOO_LARGE', 431);
  }
}

/** 500: the route exists but cannot be served (missing backend, refused reference, all weights 0). */
export class InvalidConfigurationError extends SwitchyardError {
  override readonly name = 'InvalidConfigurationError';
  constructor(message = 'invalid configuration') {
    super(message, 'SWY_INVALID_CONFIGURATION', 500);
  }
}

/** 502: the backend refused the connection or reset it before answering. */
export class BackendUnreachableError extends SwitchyardError {
  override readonly name = 'BackendUnreachableError';
  constructor(message = 'backend unreachable', options?: { cause?: unknown }) {
    super(message, 'SWY_BACKEND_UNREACHABLE', 502, options);
  }
}

/**
 * 508 (decision 21): the backend, Backend host or mirror resolves to one of this gateway's own
 * listener or admin addresses; the request is refused, never sent there.
 */
export class SelfTargetError extends SwitchyardError {
  override readonly name = 'SelfTargetError';
  constructor(
    message = 'refused: the backend is this gateway itself',
    options?: { cause?: unknown },
  ) {
    super(message, 'SWY_SELF_TARGET', 508, options);
  }
}

/**
 * 502 (decision 22): the backend resolves to an address the destination policy denies
 * (link-local and cloud metadata by default); nothing is sent there.
 */
export class DestinationDeniedError extends SwitchyardError {
  override readonly name = 'DestinationDeniedError';
  constructor(
    message = 'refused: the destination policy denies this backend',
    options?: { cause?: unknown },
  ) {
    super(message, 'SWY_DESTINATION_DENIED', 502, options);
  }
}

/** 502: the backend answered something that is not valid HTTP (bad framing, oversized headers). */
export class BackendProtocolError extends SwitchyardError {
  override readonly name = 'BackendProtocolError';
  constructor(message = 'invalid backend response', options?: { cause?: unknown }) {
    super(message, 'SWY_BACKEND_PROTOCOL', 502, options);
  }
}

/** 502: a WebSocket (or other) upgrade could not be carried to the backend. */
export class UpgradeFailedError extends SwitchyardError {
  override readonly name = 'UpgradeFailedError';
  constructor(message = 'upgrade failed', options?: { cause?: unknown }) {
    super(message, 'SWY_UPGRADE_FAILED', 502, options);
  }
}

/** 503: the backend has no address to send to (resolver found no endpoints, DNS name unknown). */
export class NoEndpointsError extends SwitchyardError {
  override readonly name = 'NoEndpointsError';
  constructor(message = 'no endpoints', options?: { cause?: unknown }) {
    super(message, 'SWY_NO_ENDPOINTS', 503, options);
  }
}

/**
 * 503: a retry policy was in force and every attempt failed to connect or was reset. A single
 * failed attempt without a retry policy is a 502 (`SWY_BACKEND_UNREACHABLE`); after the whole
 * retry budget the backend is considered unavailable, as the Gateway API conformance suite (and
 * Envoy) answer.
 */
export class BackendUnavailableError extends SwitchyardError {
  override readonly name = 'BackendUnavailableError';
  constructor(message = 'backend unavailable', options?: { cause?: unknown }) {
    super(message, 'SWY_BACKEND_UNAVAILABLE', 503, options);
  }
}

/**
 * 503 (rule 28): the backend's pool is at its bound (`pool.connections` busy and `pool.maxQueued`
 * waiting), or this request waited longer than `pool.queueTimeoutMs` for a connection. Not
 * retried: more attempts would add to the load that caused it.
 */
export class BackendSaturatedError extends SwitchyardError {
  override readonly name = 'BackendSaturatedError';
  constructor(message = 'backend saturated', options?: { cause?: unknown }) {
    super(message, 'SWY_BACKEND_SATURATED', 503, options);
  }
}

/**
 * 408 (rule 28): the client stopped sending its request body for `body.idleTimeoutMs`, or took
 * longer than `body.readTimeoutMs` for all of it. The backend request is aborted and its
 * connection freed; the client connection is closed after the answer.
 */
export class BodyTimeoutError extends SwitchyardError {
  override readonly name = 'BodyTimeoutError';
  constructor(message = 'request body timeout') {
    super(message, 'SWY_BODY_TIMEOUT', 408);
  }
}

/** 504: one backend attempt exceeded `timeouts.backendRequest` (or the pool's header timeout). */
export class BackendTimeoutError extends SwitchyardError {
  override readonly name = 'BackendTimeoutError';
  constructor(message = 'backend timeout', options?: { cause?: unknown }) {
    super(message, 'SWY_BACKEND_TIMEOUT', 504, options);
  }
}

/** 504: the whole exchange exceeded `timeouts.request`. */
export class RequestTimeoutError extends SwitchyardError {
  override readonly name = 'RequestTimeoutError';
  constructor(message = 'request timeout') {
    super(message, 'SWY_REQUEST_TIMEOUT', 504);
  }
}

/** The client went away before the answer was complete; nothing is sent (logged as 499). */
export class ClientAbortedError extends SwitchyardError {
  override readonly name = 'ClientAbortedError';
  constructor(message = 'client aborted') {
    super(message, 'SWY_CLIENT_ABORTED', 0);
  }
}

/** Startup or reload: an HTTPS listener references a certificate nobody provided. */
export class CertificateNotFoundError extends SwitchyardError {
  override readonly name = 'CertificateNotFoundError';
  constructor(message: string) {
    super(message, 'SWY_CERTIFICATE_NOT_FOUND', 0);
  }
}

/**
 * An HTTPS listener's certificate is unusable: not PEM, or the key does not match the
 * certificate. Only that listener is affected; the others on its port keep serving.
 */
export class InvalidCertificateError extends SwitchyardError {
  override readonly name = 'InvalidCertificateError';
  constructor(message: string) {
    super(message, 'SWY_CERTIFICATE_INVALID', 0);
  }
}

/** An option passed to `createProxy`, `createRequestListener` or `createGateway` is unusable. */
export class InvalidOptionError extends SwitchyardError {
  override readonly name = 'InvalidOptionError';
  constructor(message: string) {
    super(message, 'SWY_INVALID_OPTION', 0);
  }
}

/** The error a core `respond` decision stands for (400, 404, 421, 500, 503). */
export function errorForStatus(status: number, reason: string): SwitchyardError {
  switch (status) {
    case 400:
      return new BadRequestError(reason);
    case 404:
      return new NoRouteError(reason);
    case 414:
      // The class lives in intake-errors.ts, which imports this module: build it by code here.
      return new SwitchyardError(reason, 'SWY_URI_TOO_LONG', 414);
    case 431:
      return new HeadersTooLargeError(reason);
    case 421:
      return new MisdirectedRequestError(reason);
    case 503:
      return new NoEndpointsError(reason);
    case 500:
      return new InvalidConfigurationError(reason);
    default:
      return new SwitchyardError(reason, 'SWY_INVALID_CONFIGURATION', status);
  }
}
