/**
 * Header hygiene on both legs. Headers travel as flat `[name, value, name, value, ...]` arrays,
 * the shape Node's `rawHeaders`, undici's request `headers` and `res.writeHead` all accept, so the
 * common case (no modifier) copies each header once and builds no object.
 *
 * Request: hop-by-hop headers (RFC 9110 7.6.1) and the ones `Connection` names are dropped, as is
 * `Expect` (Node already answered `100 Continue`); `X-Forwarded-For/-Proto/-Host` are appended;
 * `x-request-id` is kept or generated; `Host` passes through unless a URLRewrite replaces it.
 * Response: the same hop-by-hop set is dropped. The route's modifiers and CORS are `filters/`.
 */

const HOP_BY_HOP: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'http2-settings',
]);

/** True for headers that describe one connection and must not be forwarded (lower-case name). */
export function isHopByHop(lower: string): boolean {
  return HOP_BY_HOP.has(lower) || lower.startsWith('proxy-');
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
  /** The original Host, for `X-Forwarded-Host`. */
  readonly originalHost: string | undefined;
  readonly remoteAddress: string | undefined;
  readonly proto: 'http' | 'https';
  /** Add `X-Forwarded-*`. */
  readonly forwarded: boolean;
  /** Lower-case request-id header name, or undefined for none. */
  readonly requestIdHeader: string | undefined;
}

/** Where the request id ends up (kept or generated). */
export interface RequestIdSink {
  requestId: string | undefined;
}

/**
 * The headers to send upstream before any route modifier, as a flat array. `raw` is Node's
 * `rawHeaders` (HTTP/2 pseudo-headers are skipped). `generateId` is called only when the request
 * carries no id. Upgrade headers are dropped too: the client library adds its own.
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
  let forwardedFor: string | undefined;
  let forwardedProto: string | undefined;
  let forwardedHost: string | undefined;
  let requestId: string | undefined;
  const idHeader = input.requestIdHeader;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const value = raw[i + 1]!;
    if (name.charCodeAt(0) === 58 /* ':' */) continue;
    const lower = name.toLowerCase();
    if (lower === 'host' || lower === 'expect' || isHopByHop(lower)) continue;
    if (named !== undefined && named.has(lower)) continue;
    if (input.forwarded) {
      if (lower === 'x-forwarded-for') {
        forwardedFor = forwardedFor === undefined ? value : `${forwardedFor}, ${value}`;
        continue;
      }
      if (lower === 'x-forwarded-proto') {
        forwardedProto = forwardedProto === undefined ? value : `${forwardedProto}, ${value}`;
        continue;
      }
      if (lower === 'x-forwarded-host') {
        forwardedHost = forwardedHost === undefined ? value : `${forwardedHost}, ${value}`;
        continue;
      }
    }
    if (lower === idHeader) {
      if (requestId === undefined) requestId = value;
      continue;
    }
    out.push(name, value);
  }
  if (input.host !== undefined) out.push('host', input.host);
  if (input.forwarded) {
    const remote = input.remoteAddress ?? 'unknown';
    out.push('x-forwarded-for', forwardedFor === undefined ? remote : `${forwardedFor}, ${remote}`);
    out.push(
      'x-forwarded-proto',
      forwardedProto === undefined ? input.proto : `${forwardedProto}, ${input.proto}`,
    );
    if (input.originalHost !== undefined) {
      out.push(
        'x-forwarded-host',
        forwardedHost === undefined
          ? input.originalHost
          : `${forwardedHost}, ${input.originalHost}`,
      );
    }
  }
  if (idHeader !== undefined) {
    requestId ??= generateId();
    out.push(idHeader, requestId);
  }
  sink.requestId = requestId;
  return out;
}

/**
 * The backend's response headers to pass on (flat, strings), hop-by-hop ones removed. `raw` is
 * undici's `Buffer[]`; values are decoded as latin1, the encoding Node writes them back with, so
 * bytes survive unchanged.
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
    if (isHopByHop(lower)) continue;
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

/** A flat list as an object with lower-case names (HTTP/2 responses, upgrade answers). */
export function flatToObject(flat: readonly string[]): Record<string, string | string[]> {
  const object: Record<string, string | string[]> = Object.create(null) as Record<
    string,
    string | string[]
  >;
  for (let i = 0; i < flat.length; i += 2) {
    const name = flat[i]!.toLowerCase();
    const value = flat[i + 1]!;
    const existing = object[name];
    if (existing === undefined) object[name] = value;
    else if (typeof existing === 'string') object[name] = [existing, value];
    else existing.push(value);
  }
  return object;
}
