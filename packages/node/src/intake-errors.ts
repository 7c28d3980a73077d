/**
 * The errors of request intake (decisions 14-18, 21): answers the gateway writes before any
 * route is looked at, each with its stable code (documented in `docs/errors.md`).
 */
import { SwitchyardError } from './errors.js';

/** The codes of intake answers; part of `SwitchyardErrorCode`. */
export type IntakeErrorCode =
  | 'SWY_BAD_HOST'
  | 'SWY_BAD_REQUEST_TARGET'
  | 'SWY_URI_TOO_LONG'
  | 'SWY_BAD_UPGRADE'
  | 'SWY_EXPECTATION_FAILED'
  | 'SWY_METHOD_NOT_SUPPORTED'
  | 'SWY_VIA_LOOP'
  | 'SWY_CLIENT_TIMEOUT';

/** 400: no Host on HTTP/1.1, several Host headers, or one that is not `host` / `host:port`. */
export class BadHostError extends SwitchyardError {
  override readonly name = 'BadHostError';
  constructor(message = 'bad host') {
    super(message, 'SWY_BAD_HOST', 400);
  }
}

/** 400: an absolute-form target with a scheme other than http/https, userinfo or a bad authority. */
export class BadRequestTargetError extends SwitchyardError {
  override readonly name = 'BadRequestTargetError';
  constructor(message = 'bad request target') {
    super(message, 'SWY_BAD_REQUEST_TARGET', 400);
  }
}

/** 414: the request target is longer than `limits.maxRequestTargetLength`. */
export class UriTooLongError extends SwitchyardError {
  override readonly name = 'UriTooLongError';
  constructor(message = 'request target too long') {
    super(message, 'SWY_URI_TOO_LONG', 414);
  }
}

/** 400: an upgrade the gateway would tunnel carries a request body. */
export class BadUpgradeError extends SwitchyardError {
  override readonly name = 'BadUpgradeError';
  constructor(message = 'upgrade request with a body') {
    super(message, 'SWY_BAD_UPGRADE', 400);
  }
}

/** 417: an `Expect` other than `100-continue`. */
export class ExpectationFailedError extends SwitchyardError {
  override readonly name = 'ExpectationFailedError';
  constructor(message = 'expectation failed') {
    super(message, 'SWY_EXPECTATION_FAILED', 417);
  }
}

/** 501: `CONNECT`; the gateway is not a forward proxy. */
export class MethodNotSupportedError extends SwitchyardError {
  override readonly name = 'MethodNotSupportedError';
  constructor(message = 'method not supported') {
    super(message, 'SWY_METHOD_NOT_SUPPORTED', 501);
  }
}

/** 508: the request's `Via` already names this gateway: it has looped back. */
export class ViaLoopError extends SwitchyardError {
  override readonly name = 'ViaLoopError';
  constructor(message = 'loop detected') {
    super(message, 'SWY_VIA_LOOP', 508);
  }
}

/** 408: the client did not send a complete header block within `server.headersTimeoutMs`. */
export class ClientTimeoutError extends SwitchyardError {
  override readonly name = 'ClientTimeoutError';
  constructor(message = 'request timeout') {
    super(message, 'SWY_CLIENT_TIMEOUT', 408);
  }
}
