/**
 * Request intake: what the gateway checks about a request before any route is looked at
 * (decisions 14, 15, 17, 21 and the socket-level half of rule 26's limits). A request either
 * leaves here in the one shape the rest of the gateway expects (an origin-form `req.url`, the
 * request's authority in `Host`), or with the error it is answered with.
 */
import type { IncomingMessage } from 'node:http';
import { viaNames, viaPseudonym } from './forwarding.js';
import type { SwitchyardError } from './errors.js';
import {
  BadHostError,
  BadRequestTargetError,
  BadUpgradeError,
  MethodNotSupportedError,
  UriTooLongError,
  ViaLoopError,
} from './intake-errors.js';
import { BadRequestError, InvalidOptionError } from './errors.js';
import type { ProxyRequest } from './respond.js';

/** What intake enforces; built once per engine by `intakePolicy`. */
export interface IntakePolicy {
  /** The gateway's `Via` pseudonym: a request already carrying it is a loop. */
  readonly via: string;
  /** Lower-case `Upgrade` protocol names that are tunnelled. */
  readonly upgrades: ReadonlySet<string>;
  /** Longest request target accepted (414 beyond). */
  readonly maxRequestTargetLength: number;
}

/** The intake options of `createProxy` / `createGateway`. */
export interface IntakeOptions {
  /** See `ProxyOptions.via`. */
  readonly via?: string;
  /**
   * Add the gateway's `Via` hop to responses from backends too; default false. RFC 9110 7.6.3
   * requires `Via` on requests a gateway forwards and makes it optional on responses ("MAY");
   * off by default, the pseudonym is not shown to clients.
   */
  readonly responseVia?: boolean;
  /**
   * `Upgrade` protocols tunnelled to backends; default `['websocket']`. Any other token (`h2c`
   * included) is removed and the request served as plain HTTP.
   */
  readonly upgrades?: readonly string[];
  /** Longest request target (path and query) in bytes; longer answers 414. Default 8192. */
  readonly maxRequestTargetLength?: number;
}

export function intakePolicy(options: IntakeOptions): IntakePolicy {
  const max = options.maxRequestTargetLength ?? 8192;
  if (!Number.isInteger(max) || max < 1) {
    throw new InvalidOptionError('maxRequestTargetLength must be a whole number >= 1');
  }
  const upgrades = (options.upgrades ?? ['websocket']).map((token) => token.toLowerCase());
  for (const token of upgrades) {
    if (!TOKEN.test(token)) throw new InvalidOptionError(`upgrades: "${token}" is not a token`);
  }
  return {
    via: viaPseudonym(options.via),
    upgrades: new Set(upgrades),
    maxRequestTargetLength: max,
  };
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// reg-name / IPv4 / IP-literal (RFC 3986 3.2.2), then an optional port of digits.
const AUTHORITY = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~!$&'()*+,;=%-]+)(?::([0-9]{1,5}))?$/;
const ABSOLUTE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^#]*)/;

/** True for `host` or `host:port` with a port up to 65535. */
export function isValidAuthority(value: string): boolean {
  const match = AUTHORITY.exec(value);
  return match !== null && (match[1] === undefined || Number(match[1]) <= 65535);
}

/**
 * Checks one request and, for an absolute-form target, moves its authority into `Host` and leaves
 * the origin form in `req.url` (decision 14). Returns the error to answer with, or undefined.
 */
export function admitRequest(req: ProxyRequest, policy: IntakePolicy): SwitchyardError | undefined {
  if (req.method === 'CONNECT') return new MethodNotSupportedError('CONNECT is not supported');
  const url = req.url ?? '/';
  if (url.length > policy.maxRequestTargetLength) {
    return new UriTooLongError(`request target longer than ${policy.maxRequestTargetLength} bytes`);
  }
  const http2 = req.httpVersionMajor === 2;
  if (!http2) {
    const problem = checkHostHeaders(req as IncomingMessage) ?? checkFraming(req);
    if (problem !== undefined) return problem;
  }
  if (url.charCodeAt(0) !== 47 /* '/' */ && url !== '*') {
    const problem = adoptAbsoluteForm(req, url);
    if (problem !== undefined) return problem;
  } else if (!http2 && req.headers.host === undefined && req.httpVersion !== '1.0') {
    return new BadHostError('missing Host header');
  }
  const host = req.headers.host ?? (req.headers[':authority'] as string | undefined);
  if (host !== undefined && !isValidAuthority(host)) {
    return new BadHostError('Host must be host or host:port (port 0-65535)');
  }
  const via = req.headers.via;
  if (viaNames(typeof via === 'string' ? via : undefined, policy.via)) {
    return new ViaLoopError(`loop detected: Via already names ${policy.via}`);
  }
  return undefined;
}

function checkHostHeaders(req: IncomingMessage): SwitchyardError | undefined {
  const raw = req.rawHeaders;
  let count = 0;
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]!.length === 4 && raw[i]!.toLowerCase() === 'host') count += 1;
  }
  return count > 1 ? new BadHostError('more than one Host header') : undefined;
}

/**
 * RFC 9112 6.3: a request whose last transfer coding is not `chunked` has no knowable length.
 * Node parses its headers before noticing; refuse it before a byte is forwarded.
 */
function checkFraming(req: ProxyRequest): SwitchyardError | undefined {
  const coding = req.headers['transfer-encoding'];
  if (coding === undefined) return undefined;
  const last = coding.split(',').at(-1)!.trim().toLowerCase();
  return last === 'chunked'
    ? undefined
    : new BadRequestError('Transfer-Encoding must end with chunked');
}

function adoptAbsoluteForm(req: ProxyRequest, url: string): SwitchyardError | undefined {
  const match = ABSOLUTE.exec(url);
  if (match === null) {
    return new BadRequestTargetError('request target must start with / or be an absolute URL');
  }
  const scheme = match[1]!.toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') {
    return new BadRequestTargetError(`request target scheme "${scheme}" is not http or https`);
  }
  const authority = match[2]!;
  if (authority.includes('@') || !isValidAuthority(authority)) {
    return new BadRequestTargetError('request target authority must be host or host:port');
  }
  const rest = match[3]!;
  req.headers.host = authority;
  req.url = rest === '' ? '/' : rest.charCodeAt(0) === 63 /* '?' */ ? `/${rest}` : rest;
  return undefined;
}

/** What to do with an `upgrade` event (decision 17). */
export type UpgradeVerdict =
  | { readonly kind: 'tunnel'; readonly protocol: string }
  | { readonly kind: 'plain' }
  | { readonly kind: 'refuse'; readonly error: SwitchyardError };

/**
 * Tunnel the allowed protocols the client offered; serve anything else (no allowed token,
 * HTTP/1.0) as plain HTTP; refuse a tunnel that would carry a request body.
 */
export function upgradeVerdict(req: IncomingMessage, policy: IntakePolicy): UpgradeVerdict {
  if (req.method === 'CONNECT') {
    return { kind: 'refuse', error: new MethodNotSupportedError('CONNECT is not supported') };
  }
  if (req.httpVersion === '1.0') return { kind: 'plain' };
  const offered = (req.headers.upgrade ?? '').split(',');
  const allowed = offered
    .map((token) => token.trim())
    .filter((token) => policy.upgrades.has(token.split('/')[0]!.toLowerCase()));
  if (allowed.length === 0) return { kind: 'plain' };
  const length = req.headers['content-length'];
  if (req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')) {
    return { kind: 'refuse', error: new BadUpgradeError() };
  }
  return { kind: 'tunnel', protocol: allowed.join(', ') };
}
