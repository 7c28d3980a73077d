/**
 * Handing a forwarded request to an in-process handler instead of a socket: the request is made
 * to look as the backend would have received it (the upstream path in `req.url`, the rule's and
 * the backend's request header modifiers, a rewritten Host), and the rule's response header
 * modifiers and CORS headers are applied when the handler writes its status line, as the proxy
 * applies them to a backend's answer. Mirrors, retries and timeouts are proxy concerns and do not
 * apply to in-process handlers. Used by the Express and Fastify adapters' `handlers` option.
 */
import type {
  IncomingHttpHeaders,
  IncomingMessage,
  OutgoingHttpHeaders,
  ServerResponse,
} from 'node:http';
import { corsResponseHeaders, delegatedScope } from '@switchyard/core';
import type {
  Decision,
  DecisionBackend,
  ForwardDecision,
  HeaderModifier,
  ResolveRequest,
  RouteTable,
} from '@switchyard/core';
import { applyGuardedModifier } from './headers.js';

type HeaderRecord = Record<string, string | string[] | undefined>;

/**
 * True for the decisions an embedding app may keep for itself: no listener, no route (a 404 that
 * names no route). Given the table and the request as well, a 404 inside a prefix the platform
 * delegated (`delegatedScope`: `/banking/loans` when only `/banking/accounts` is routed) is not
 * unrouted: it is the gateway's answer, as the Node proxy gives it. The Express and Fastify
 * adapters pass exactly the unrouted requests on under `noRoute: 'next'`.
 *
 * @example
 * ```ts
 * const decision = resolve(table, request);
 * if (isUnrouted(decision, table, request)) return next();
 * ```
 */
export function isUnrouted(
  decision: Decision,
  table?: RouteTable,
  request?: ResolveRequest,
): boolean {
  if (decision.kind !== 'respond' || decision.status !== 404 || decision.route !== undefined) {
    return false;
  }
  return (
    table === undefined || request === undefined || delegatedScope(table, request) === undefined
  );
}

/** Undoes a hand-off, for a handler that passes the request on (`next()`). */
export type Restore = () => void;

/**
 * Prepares `req` and `res` for the handler standing in for `backend`. Returns the function that
 * puts back the original URL, headers and `writeHead`.
 */
export function handOff(
  req: IncomingMessage,
  res: ServerResponse,
  decision: ForwardDecision,
  backend: DecisionBackend,
): Restore {
  const url = req.url;
  const headers = req.headers;
  const origin = headers.origin;
  const upstream = backend.upstream ?? decision.upstream;
  req.url = upstream.path;
  const modified = requestHeaders(
    headers,
    upstream.host,
    decision.requestHeaders,
    backend.requestHeaders,
  );
  // In place: HTTP/2 requests have no `headers` setter.
  const original = modified === headers ? undefined : { ...headers };
  if (original !== undefined) replaceContents(headers, modified);

  const modifiers: HeaderModifier[] = [];
  if (decision.responseHeaders !== undefined) modifiers.push(decision.responseHeaders);
  if (backend.responseHeaders !== undefined) modifiers.push(backend.responseHeaders);
  const cors = decision.cors === undefined ? undefined : corsResponseHeaders(decision.cors, origin);
  if (cors !== undefined && Object.keys(cors).length > 0) modifiers.push(setAll(cors));
  const ownWriteHead = Object.hasOwn(res, 'writeHead');
  const writeHead = res.writeHead;
  if (modifiers.length > 0) res.writeHead = modifyingWriteHead(res, writeHead, modifiers);

  return () => {
    req.url = url;
    if (original !== undefined) replaceContents(headers, original);
    if (modifiers.length === 0) return;
    if (ownWriteHead) res.writeHead = writeHead;
    else delete (res as Partial<ServerResponse>).writeHead;
  };
}

function requestHeaders(
  headers: IncomingHttpHeaders,
  host: string | undefined,
  rule: HeaderModifier | undefined,
  backend: HeaderModifier | undefined,
): IncomingHttpHeaders {
  if (host === undefined && rule === undefined && backend === undefined) return headers;
  let record: HeaderRecord = host === undefined ? { ...headers } : { ...headers, host };
  if (rule !== undefined) record = applyGuardedModifier(record, rule);
  if (backend !== undefined) record = applyGuardedModifier(record, backend);
  // Node's request headers have lower-case names; modifiers keep the author's spelling.
  const lower: IncomingHttpHeaders = {};
  for (const name of Object.keys(record)) {
    const value = record[name];
    if (value !== undefined) lower[name.toLowerCase()] = value;
  }
  return lower;
}

function replaceContents(target: IncomingHttpHeaders, source: IncomingHttpHeaders): void {
  for (const name of Object.keys(target)) delete target[name];
  Object.assign(target, source);
}

function setAll(headers: Readonly<Record<string, string>>): HeaderModifier {
  return {
    set: Object.keys(headers).map((name) => ({ name, value: headers[name]! })),
    add: [],
    remove: [],
  };
}

type WriteHead = ServerResponse['writeHead'];

/**
 * A `writeHead` that first folds the headers passed to it into the response, then applies the
 * modifiers to the whole set, so that they see every header the handler wrote however it wrote it.
 */
function modifyingWriteHead(
  res: ServerResponse,
  original: WriteHead,
  modifiers: readonly HeaderModifier[],
): WriteHead {
  return function writeHead(
    this: ServerResponse,
    status: number,
    ...rest: unknown[]
  ): ServerResponse {
    const last = rest[rest.length - 1];
    if (typeof last === 'object' && last !== null) {
      rest.pop();
      for (const [name, value] of headerEntries(last as OutgoingHttpHeaders | readonly unknown[])) {
        res.setHeader(name, value);
      }
    }
    const before = res.getHeaders() as HeaderRecord;
    let after: HeaderRecord = stringValues(before);
    for (const modifier of modifiers) after = applyGuardedModifier(after, modifier);
    for (const name of Object.keys(before)) res.removeHeader(name);
    for (const name of Object.keys(after)) {
      const value = after[name];
      if (value !== undefined) res.setHeader(name, value);
    }
    return (original as (this: ServerResponse, ...args: unknown[]) => ServerResponse).call(
      this,
      status,
      ...rest,
    );
  } as WriteHead;
}

/** `writeHead`'s header argument: an object, a flat `[name, value, ...]` list, or `[name, value]` pairs. */
function headerEntries(
  headers: OutgoingHttpHeaders | readonly unknown[],
): [string, string | string[]][] {
  if (!Array.isArray(headers)) {
    const object = headers as OutgoingHttpHeaders;
    return Object.keys(object)
      .filter((name) => object[name] !== undefined)
      .map((name) => [name, toStrings(object[name]!)]);
  }
  const grouped = new Map<string, [string, string[]]>();
  const push = (name: string, value: unknown): void => {
    const lower = name.toLowerCase();
    const entry = grouped.get(lower) ?? [name, []];
    entry[1] = entry[1].concat(toStrings(value as string));
    grouped.set(lower, entry);
  };
  if (Array.isArray(headers[0]))
    for (const pair of headers as [string, unknown][]) push(pair[0], pair[1]);
  else for (let i = 0; i + 1 < headers.length; i += 2) push(String(headers[i]), headers[i + 1]);
  return [...grouped.values()].map(([name, values]) => [
    name,
    values.length === 1 ? values[0]! : values,
  ]);
}

function toStrings(value: number | string | readonly string[]): string | string[] {
  return typeof value === 'object' ? value.map(String) : String(value);
}

function stringValues(headers: HeaderRecord | OutgoingHttpHeaders): HeaderRecord {
  const out: HeaderRecord = {};
  for (const name of Object.keys(headers)) {
    const value = (headers as OutgoingHttpHeaders)[name];
    if (value !== undefined) out[name] = toStrings(value);
  }
  return out;
}
