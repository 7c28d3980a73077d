/**
 * Watch streams as the API server sends them: HTTP 200, chunked, one JSON event per line
 * (`{"type":"ADDED","object":{...}}`); a too-old resourceVersion gets an `ERROR` event carrying a
 * 410 `Status` (or a plain HTTP 410, as some servers and proxies answer); bookmarks only for
 * clients that asked with `allowWatchBookmarks=true`.
 */
import type { ServerResponse } from 'node:http';
import type { Store, StoreEvent } from './store.js';
import { ApiError, apiVersionAt, servedAt, type FakeObject, type FakeResource } from './types.js';

export interface FieldRequirement {
  readonly path: readonly string[];
  readonly value: string;
  readonly equal: boolean;
}

export interface WatchStream {
  readonly resource: FakeResource;
  /** The version watched: events carry its `apiVersion`. */
  readonly version: string;
  readonly namespace: string | undefined;
  readonly fields: readonly FieldRequirement[];
  readonly bookmarks: boolean;
  readonly response: ServerResponse;
}

export interface WatchRequest {
  readonly resource: FakeResource;
  readonly version: string;
  readonly namespace: string | undefined;
  readonly query: URLSearchParams;
  readonly goneAs: 'event' | 'http';
}

/** `a.b=v,c!=w` → requirements; only the equality forms the API server supports for most fields. */
export function parseFieldSelector(text: string | null): FieldRequirement[] {
  if (!text) return [];
  return text.split(',').map((term) => {
    const match = /^([^!=]+)(==|=|!=)(.*)$/.exec(term.trim());
    if (!match) throw new ApiError(400, 'BadRequest', `invalid field selector "${term}"`);
    return { path: match[1]!.split('.'), value: match[3]!, equal: match[2] !== '!=' };
  });
}

export function matchesFields(object: FakeObject, fields: readonly FieldRequirement[]): boolean {
  return fields.every(({ path, value, equal }) => {
    let current: unknown = object;
    for (const key of path) current = (current as Record<string, unknown> | undefined)?.[key];
    return (String(current ?? '') === value) === equal;
  });
}

/** Starts a stream and writes what the client missed; undefined when it answered with an error. */
export function openWatch(
  store: Store,
  request: WatchRequest,
  response: ServerResponse,
): WatchStream | undefined {
  const { resource, version, namespace, query } = request;
  const fields = parseFieldSelector(query.get('fieldSelector'));
  const from = query.get('resourceVersion') ?? '';
  const inScope = (object: FakeObject) =>
    (namespace === undefined || object.metadata.namespace === namespace) &&
    matchesFields(object, fields);

  let backlog: { type: string; object: FakeObject }[];
  if (from === '' || from === '0') {
    // No resourceVersion: the current state as synthetic ADDED events, then changes.
    backlog = store
      .list(resource, namespace)
      .filter(inScope)
      .map((object) => ({ type: 'ADDED', object }));
  } else {
    const since = Number(from);
    if (!Number.isInteger(since))
      throw new ApiError(400, 'BadRequest', `invalid resourceVersion "${from}"`);
    try {
      backlog = store.eventsSince(resource, since).filter((e) => inScope(e.object));
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== 410 || request.goneAs === 'http')
        throw error;
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(`${JSON.stringify({ type: 'ERROR', object: error.toStatus() })}\n`);
      return undefined;
    }
  }
  response.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
  response.flushHeaders();
  for (const event of backlog)
    writeEvent(response, event.type, servedAt(event.object, resource, version));
  const timeout = Number(query.get('timeoutSeconds') ?? 0);
  if (timeout > 0) {
    const timer = setTimeout(() => response.end(), timeout * 1000);
    response.on('close', () => clearTimeout(timer));
  }
  return {
    resource,
    version,
    namespace,
    fields,
    bookmarks: query.get('allowWatchBookmarks') === 'true',
    response,
  };
}

/** Sends a store event to a stream if it is in the stream's scope. */
export function deliver(stream: WatchStream, event: StoreEvent): void {
  if (event.resource !== stream.resource) return;
  const { object } = event;
  if (stream.namespace !== undefined && object.metadata.namespace !== stream.namespace) return;
  if (!matchesFields(object, stream.fields)) return;
  writeEvent(stream.response, event.type, servedAt(object, stream.resource, stream.version));
}

/** A BOOKMARK: "you have seen everything up to this resourceVersion". */
export function bookmark(stream: WatchStream, revision: number): boolean {
  if (!stream.bookmarks) return false;
  const { resource } = stream;
  writeEvent(stream.response, 'BOOKMARK', {
    apiVersion: apiVersionAt(resource, stream.version),
    kind: resource.kind,
    metadata: { resourceVersion: String(revision) },
  });
  return true;
}

function writeEvent(response: ServerResponse, type: string, object: unknown): void {
  if (!response.writableEnded) response.write(`${JSON.stringify({ type, object })}\n`);
}
