/**
 * Header hygiene, in one place, for every header the gateway forwards or writes. Headers travel
 * as flat `[name, value, name, value, ...]` arrays, the shape Node's `rawHeaders`, undici's
 * request `headers` and `res.writeHead` all accept, so the common case (no modifier) copies each
 * header once and builds no object.
 *
 * - Hop-by-hop headers (RFC 9110 7.6.1) and the ones `Connection` names never cross the gateway.
 * - `x-switchyard-*` belongs to the gateway: dropped from requests and from backend answers, so a
 *   client or a backend cannot pass for the gateway.
 * - Header modifiers (rule, backend, inherited; request and response) never set, add or remove a
 *   protected header (decision 19: hop-by-hop, framing, `Proxy-*`, `x-switchyard-*`) nor write
 *   CR, LF or NUL. The compiler makes such filters invalid; this is the runtime guard that holds
 *   whatever table it is given (a route must not be able to forge the next answer on a
 *   connection).
 * - Forwarding headers follow `forwarding.ts`; the gateway's `Via` hop is added to every request
 *   and mirror copy, and put back after route modifiers (`keepViaHop`), so a request that comes
 *   back to this gateway is always recognised (decision 21). A modifier may still rewrite the
 *   hops it received: two gateways whose routes both remove `Via` can loop between each other.
 */
import {
  PROTECTED_HEADER_NAMES,
  PROTECTED_HEADER_PREFIXES,
  applyHeaderModifier,
  hasForbiddenValueCharacter,
  isProtectedHeaderName,
} from '@switchyard/core';
import type { HeaderModifier } from '@switchyard/core';
import { forwardedElement } from './forwarding.js';
import type { ForwardingPolicy } from './forwarding.js';

/** The header prefix the gateway keeps for itself (`x-switchyard-error`). */
const RESERVED_PREFIX = 'x-switchyard-';

/** True for names only the gateway may write (lower-case name). */
export function isReserved(lower: string): boolean {
  return lower.startsWith(RESERVED_PREFIX);
}

/**
 * Hop-by-hop headers (RFC 9110 7.6.1, plus `Proxy-*` and HTTP/2's `HTTP2-Settings`) are the
 * core's protected names (decision 19) minus the two that are not about one connection:
 * `Content-Length` describes the message and is forwarded, `x-switchyard-*` is the gateway's own
 * and handled by `isReserved`. Derived, so the compile-time and run-time lists cannot differ.
 */
const HOP_BY_HOP: ReadonlySet<string> = new Set(
  PROTECTED_HEADER_NAMES.filter((name) => name !== 'content-length'),
);
const HOP_BY_HOP_PREFIXES: readonly string[] = PROTECTED_HEADER_PREFIXES.filter(
  (prefix) => !isReserved(prefix),
);

/** True for headers that describe one connection and must not be forwarded (lower-case name). */
export function isHopByHop(lower: string): boolean {
  if (HOP_BY_HOP.has(lower)) return true;
  for (const prefix of HOP_BY_HOP_PREFIXES) if (lower.startsWith(prefix)) return true;
  return false;
}

/** Decision 19's names, from the core: the same function the compiler validates filters with. */
export { isProtectedHeaderName };

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** True when a modifier may write this header: a token name, unprotected, no CR/LF/NUL. */
function writable(name: string, value: string | undefined): boolean {
  if (!TOKEN.test(name) || isProtectedHeaderName(name)) return false;
  return value === undefined || !hasForbiddenValueCharacter(value);
}

const guarded = new WeakMap<HeaderModifier, HeaderModifier>();

/** `modifier` without the entries decision 19 forbids (the same object when it has none). */
export function guardModifier(modifier: HeaderModifier): HeaderModifier {
  const known = guarded.get(modifier);
  if (known !== undefined) return known;
  const set = modifier.set.filter((entry) => writable(entry.name, entry.value));
  const add = modifier.add.filter((entry) => writable(entry.name, entry.value));
  const remove = modifier.remove.filter((name) => writable(name, undefined));
  const clean =
    set.length === modifier.set.length &&
    add.length === modifier.add.length &&
    remove.length === modifier.remove.length
      ? modifier
      : { set, add, remove };
  guarded.set(modifier, clean);
  return clean;
}

/** The core's `applyHeaderModifier` behind the guard, for header records. */
export function applyGuardedModifier<T extends Record<string, string | string[] | undefined>>(
  record: T,
  modifier: HeaderModifier,
): Record<string, string | string[] | undefined> {
  return applyHeaderModifier(record, guardModifier(modifier));
}

/** The extra header names a `Connection` header declares hop-by-hop (RFC 9110 7.6.1). */
function connectionTokens(value: string | undefined): ReadonlySet<string> | undefined {
  if (value === undefined) return undefined;
  // The common values name nothing beyond the hop-by-hop set: skip the split.
  const length = value.length;
  if ((length === 10 || length === 5) && /^(?:keep-alive|close)$/i.test(value)) return undefined;
  let tokens: Set<string> | undefined;
  for (const part of value.split(',')) {
    const token = part.trim().toLowerCase();
    if (token === '' || token === 'close' || token === 'keep-alive' || token === 'upgrade')
      continue;
    (tokens ??= new Set()).add(token);
  }
  return tokens;
}

/** What the request headers need beyond the request itself. */
export interface UpstreamHeaderInput {
  /** The Host to send; undefined leaves it to the client library (the origin's authority). */
  readonly host: string | undefined;
  /** The host the gateway routed on, for `X-Forwarded-Host` and `Forwarded: host=`. */
  readonly originalHost: string | undefined;
  readonly remoteAddress: string | undefined;
  readonly proto: 'http' | 'https';
  /** The port the client connected to, for `X-Forwarded-Port`. */
  readonly port?: number | undefined;
  /** Forwarding headers per decision 16; undefined writes none (`forwardedHeaders: false`). */
  readonly forwarding: ForwardingPolicy | undefined;
  /** The gateway's `Via` pseudonym; undefined adds no `Via`. */
  readonly via?: string | undefined;
  /** The client's HTTP version (`1.1`, `2.0`), for `Via`. */
  readonly httpVersion?: string | undefined;
  /** Lower-case request-id header name, or undefined for none. */
  readonly requestIdHeader: string | undefined;
}

/** Where the request id ends up (kept or generated). */
export interface RequestIdSink {
  requestId: string | undefined;
}

const FORWARDING: ReadonlySet<string> = new Set([
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
  'x-forwarded-port',
  'forwarded',
]);

/**
 * The headers to send upstream before any route modifier, as a flat array. `raw` is Node's
 * `rawHeaders` (HTTP/2 pseudo-headers are skipped). `generateId` is called only when the request
 * carries no id. Upgrade headers are dropped too: the client library adds its own. `Expect` is
 * dropped (Node already answered `100 Continue`).
 */
export function upstreamHeaders(
  raw: readonly string[],
  connection: string | undefined,
  input: UpstreamHeaderInput,
  sink: RequestIdSink,
  generateId: () => string,
): string[] {
  const named = connectionTokens(connection);
  const out: string[] = [];
  const received: Record<string, string | undefined> = {};
  let via: string | undefined;
  let requestId: string | undefined;
  const idHeader = input.requestIdHeader;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const value = raw[i + 1]!;
    if (name.charCodeAt(0) === 58 /* ':' */) continue;
    const lower = name.toLowerCase();
    if (lower === 'host' || lower === 'expect' || isHopByHop(lower) || isReserved(lower)) continue;
    if (named !== undefined && named.has(lower)) continue;
    if (input.forwarding !== undefined && FORWARDING.has(lower)) {
      const before = received[lower];
      received[lower] = before === undefined ? value : `${before}, ${value}`;
      continue;
    }
    if (lower === 'via' && input.via !== undefined) {
      via = via === undefined ? value : `${via}, ${value}`;
      continue;
    }
    if (lower === idHeader) {
      if (requestId === undefined) requestId = value;
      continue;
    }
    out.push(name, value);
  }
  if (input.host !== undefined) out.push('host', input.host);
  if (input.forwarding !== undefined) pushForwarding(out, received, input);
  const hop = viaHop(input);
  if (hop !== undefined) out.push('via', via === undefined ? hop : `${via}, ${hop}`);
  if (idHeader !== undefined) {
    requestId ??= generateId();
    out.push(idHeader, requestId);
  }
  sink.requestId = requestId;
  return out;
}

/** The gateway's own `Via` element (`1.1 pseudonym`), or undefined when it adds none. */
export function viaHop(
  input: Pick<UpstreamHeaderInput, 'via' | 'httpVersion'>,
): string | undefined {
  if (input.via === undefined) return undefined;
  // RFC 9110 7.6.3: the received protocol's version; HTTP/2 is `2`, not Node's `2.0`.
  const version = input.httpVersion === '2.0' ? '2' : (input.httpVersion ?? '1.1');
  return `${version} ${input.via}`;
}

/**
 * Decision 21 after the route's header modifiers: `Via` is not a protected header (a route may
 * rewrite or remove the chain it received), but the gateway's own hop is what closes loops
 * (through another gateway, a mirror or NAT back to this one), so it is put back last when a
 * modifier removed or replaced it. `flat` itself when it still ends with `hop`.
 */
export function keepViaHop(flat: string[], hop: string | undefined): string[] {
  if (hop === undefined) return flat;
  let chain: string | undefined;
  for (let i = 0; i < flat.length; i += 2) {
    if (flat[i]!.toLowerCase() !== 'via') continue;
    chain = chain === undefined ? flat[i + 1]! : `${chain}, ${flat[i + 1]!}`;
  }
  if (chain !== undefined && lastHop(chain) === hop) return flat;
  const out: string[] = [];
  for (let i = 0; i < flat.length; i += 2) {
    if (flat[i]!.toLowerCase() !== 'via') out.push(flat[i]!, flat[i + 1]!);
  }
  out.push('via', chain === undefined || chain.trim() === '' ? hop : `${chain}, ${hop}`);
  return out;
}

function lastHop(chain: string): string {
  const comma = chain.lastIndexOf(',');
  return chain.slice(comma + 1).trim();
}

/** Decision 16: edge values replace the client's, unless the peer is a trusted proxy. */
function pushForwarding(
  out: string[],
  received: Readonly<Record<string, string | undefined>>,
  input: UpstreamHeaderInput,
): void {
  const trusted = input.forwarding!.trusts(input.remoteAddress);
  const remote = input.remoteAddress ?? 'unknown';
  const kept = (name: string): string | undefined => (trusted ? received[name] : undefined);
  const forFor = received['x-forwarded-for'];
  out.push('x-forwarded-for', forFor === undefined ? remote : `${forFor}, ${remote}`);
  out.push('x-forwarded-proto', kept('x-forwarded-proto') ?? input.proto);
  const host = kept('x-forwarded-host') ?? input.originalHost;
  if (host !== undefined) out.push('x-forwarded-host', host);
  const port = kept('x-forwarded-port') ?? (input.port === undefined ? undefined : `${input.port}`);
  if (port !== undefined) out.push('x-forwarded-port', port);
  const own = forwardedElement(input.remoteAddress, input.originalHost, input.proto);
  const before = kept('forwarded');
  out.push('forwarded', before === undefined ? own : `${before}, ${own}`);
}

/**
 * The backend's response headers to pass on (flat, strings): hop-by-hop ones and the gateway's
 * reserved `x-switchyard-*` removed. `raw` is undici's `Buffer[]`; values are decoded as latin1,
 * the encoding Node writes them back with, so bytes survive unchanged.
 */
export function downstreamHeaders(raw: readonly (Buffer | string)[]): string[] {
  const out: string[] = [];
  let named: ReadonlySet<string> | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = text(raw[i]!);
    const lower = name.toLowerCase();
    if (lower === 'connection') {
      named = connectionTokens(text(raw[i + 1]!));
      continue;
    }
    if (isHopByHop(lower) || isReserved(lower)) continue;
    out.push(name, text(raw[i + 1]!));
  }
  if (named === undefined) return out;
  const kept: string[] = [];
  for (let i = 0; i < out.length; i += 2) {
    if (!named.has(out[i]!.toLowerCase())) kept.push(out[i]!, out[i + 1]!);
  }
  return kept;
}

function text(value: Buffer | string): string {
  return typeof value === 'string' ? value : value.toString('latin1');
}

/**
 * Applies header modifiers (in order, each behind `guardModifier`) to a flat header list with the
 * core's `applyHeaderModifier`, then merges `extra` (set semantics, e.g. CORS headers). Returns
 * `flat` itself when there is nothing to do.
 */
export function applyModifiers(
  flat: string[],
  modifiers: readonly (HeaderModifier | undefined)[],
  extra?: Readonly<Record<string, string>>,
): string[] {
  let any = extra !== undefined && Object.keys(extra).length > 0;
  for (const modifier of modifiers) if (modifier !== undefined) any = true;
  if (!any) return flat;
  let record: Record<string, string | string[] | undefined> = flatToObject(flat, false);
  for (const modifier of modifiers) {
    if (modifier !== undefined) record = applyGuardedModifier(record, modifier);
  }
  if (extra !== undefined) {
    record = applyGuardedModifier(record, {
      set: Object.keys(extra).map((name) => ({ name, value: extra[name]! })),
      add: [],
      remove: [],
    });
  }
  return toFlat(record);
}

function toFlat(
  record: Readonly<Record<string, string | readonly string[] | undefined>>,
): string[] {
  const out: string[] = [];
  for (const name of Object.keys(record)) {
    const value = record[name];
    if (value === undefined) continue;
    if (typeof value === 'string') out.push(name, value);
    else for (const item of value) out.push(name, item);
  }
  return out;
}

/**
 * A flat list as an object (HTTP/2 responses, upgrade answers, modifiers), names lower-cased
 * unless `lower` is false. A null prototype: a header may be called `__proto__`.
 */
export function flatToObject(
  flat: readonly string[],
  lower = true,
): Record<string, string | string[]> {
  const object: Record<string, string | string[]> = Object.create(null) as Record<
    string,
    string | string[]
  >;
  for (let i = 0; i < flat.length; i += 2) {
    const name = lower ? flat[i]!.toLowerCase() : flat[i]!;
    const value = flat[i + 1]!;
    const existing = object[name];
    if (existing === undefined) object[name] = value;
    else if (typeof existing === 'string') object[name] = [existing, value];
    else existing.push(value);
  }
  return object;
}
