/**
 * FORMAT.md defaults for a request (method GET, scheme http, the first listener of the request's
 * Gateway, SNI from the host) and the list of observables a request case needs. Every target
 * receives requests normalised here, so all of them read the defaults the same way.
 */
import { randomUUID } from 'node:crypto';
import type { CaseFile, ObjectRef, RequestCase, RequestSpec } from './case-types.js';
import type { NormalizedRequest, Observable } from './target.js';

type KubeObject = Readonly<Record<string, unknown>>;

interface ListenerSpec {
  readonly port?: unknown;
  readonly protocol?: unknown;
}

function metadataOf(object: KubeObject): Readonly<Record<string, unknown>> {
  const metadata = object['metadata'];
  return typeof metadata === 'object' && metadata !== null
    ? (metadata as Record<string, unknown>)
    : {};
}

/** `{ namespace, name }` of an object; namespace '' for cluster-scoped ones. */
export function objectKey(object: KubeObject): ObjectRef {
  const metadata = metadataOf(object);
  return {
    namespace: typeof metadata['namespace'] === 'string' ? metadata['namespace'] : '',
    name: typeof metadata['name'] === 'string' ? metadata['name'] : '',
  };
}

/** The Gateway a request goes to: its own, else the case's, else the first Gateway in `objects`. */
export function requestGateway(
  spec: RequestSpec,
  caseFile: CaseFile,
  objects: readonly KubeObject[],
): ObjectRef {
  const named = spec.gateway ?? caseFile.gateway;
  if (named) return named;
  const first = objects.find((object) => object['kind'] === 'Gateway');
  if (!first) throw new Error('the case has no Gateway to send the request to');
  return objectKey(first);
}

function listenersOf(gateway: ObjectRef, objects: readonly KubeObject[]): readonly ListenerSpec[] {
  const object = objects.find((candidate) => {
    const key = objectKey(candidate);
    return (
      candidate['kind'] === 'Gateway' &&
      key.namespace === gateway.namespace &&
      key.name === gateway.name
    );
  });
  if (!object)
    throw new Error(
      `the request names Gateway ${gateway.namespace}/${gateway.name}, which is not in objects`,
    );
  const spec = object['spec'] as { listeners?: unknown } | undefined;
  return Array.isArray(spec?.listeners) ? (spec.listeners as ListenerSpec[]) : [];
}

/** The port of the Gateway's first listener for the scheme (HTTP for http, HTTPS for https). */
export function defaultPort(
  gateway: ObjectRef,
  scheme: 'http' | 'https',
  objects: readonly KubeObject[],
): number {
  const listeners = listenersOf(gateway, objects);
  const wanted = scheme === 'https' ? 'HTTPS' : 'HTTP';
  const listener = listeners.find((l) => l.protocol === wanted) ?? listeners[0];
  if (typeof listener?.port !== 'number') {
    throw new Error(
      `Gateway ${gateway.namespace}/${gateway.name} has no listener to default the port from`,
    );
  }
  return listener.port;
}

/** `example.com:8080` → `example.com`; `[::1]:80` → `[::1]`. */
export function hostWithoutPort(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1) || host;
  return host.replace(/:\d*$/, '');
}

/**
 * Applies FORMAT.md's defaults. `objects` is the case's current object list (after updates).
 * @example normalizeRequest({ path: '/' }, caseFile, caseFile.objects).port // 80
 */
export function normalizeRequest(
  spec: RequestSpec,
  caseFile: CaseFile,
  objects: readonly KubeObject[],
  uuid: () => string = randomUUID,
): NormalizedRequest {
  const gateway = requestGateway(spec, caseFile, objects);
  const scheme = spec.scheme ?? 'http';
  const headers: Record<string, readonly string[]> = {};
  for (const [name, value] of Object.entries(spec.headers ?? {})) {
    headers[name] = typeof value === 'string' ? [value] : value;
  }
  const sni =
    spec.sni ?? (scheme === 'https' && spec.host ? hostWithoutPort(spec.host) : undefined);
  return {
    method: spec.method ?? 'GET',
    scheme,
    ...(spec.host === undefined ? {} : { host: spec.host }),
    port: spec.port ?? defaultPort(gateway, scheme, objects),
    path: spec.path.replaceAll('{uuid}', () => uuid()),
    headers,
    gateway,
    ...(sni === undefined ? {} : { sni }),
    protocol: spec.protocol ?? 'HTTP/1.1',
    websocket: spec.websocket ?? false,
  };
}

/** One requirement: the target must show this observable, or (for a list) any one of them. */
export type Need = Observable | readonly Observable[];

function hasQueryParam(path: string, name: string): boolean {
  const query = path.split('?')[1] ?? '';
  return query.split('&').some((pair) => pair.split('=')[0] === name);
}

/** What a target must be able to show to run this request case. */
export function needsOf(requestCase: RequestCase): Need[] {
  const { request, expect } = requestCase;
  const needs: Need[] = [];
  if (request.scheme === 'https') needs.push('https');
  if (request.protocol === 'HTTP/2') needs.push('http2');
  if (request.websocket) needs.push('websocket');
  if (request.path.startsWith('/retry/')) needs.push('retry');
  if (hasQueryParam(request.path, 'delay')) needs.push('delay');
  if (expect.backend) needs.push('backend');
  if (expect.backends) needs.push(['backends.exact', 'backends.sampled']);
  if (expect.status !== undefined) needs.push('status');
  if (expect.redirect) needs.push('redirect');
  if (expect.timeout) needs.push('timeout');
  for (const upstream of [expect.upstream, ...(expect.backends ?? []).map((b) => b.upstream)]) {
    if (!upstream) continue;
    if (upstream.method) needs.push('upstream.method');
    if (upstream.path) needs.push('upstream.path');
    if (upstream.host) needs.push('upstream.host');
    if (upstream.headers || upstream.absentHeaders) needs.push('upstream.headers');
  }
  if (expect.response?.headers || expect.response?.absentHeaders) {
    needs.push('response.headers');
    const echoes = Object.keys(request.headers ?? {}).some(
      (name) => name.toLowerCase() === 'x-echo-set-header',
    );
    if (echoes) needs.push('response.echo');
  }
  if (expect.mirrors) {
    needs.push('mirrors');
    if (expect.mirrors.some((mirror) => (mirror.percent ?? 100) < 100)) {
      needs.push(['mirrors.percent.exact', 'mirrors.percent.sampled']);
    }
  }
  return dedupe(needs);
}

function dedupe(needs: Need[]): Need[] {
  const seen = new Set<string>();
  return needs.filter((need) => {
    const key = typeof need === 'string' ? need : need.join('|');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The needs a target cannot meet, for a skip reason; empty when it can run the case. */
export function unmetNeeds(
  needs: readonly Need[],
  canObserve: (what: Observable) => boolean,
): string[] {
  return needs
    .filter((need) => (typeof need === 'string' ? !canObserve(need) : !need.some(canObserve)))
    .map((need) => (typeof need === 'string' ? need : need.join(' or ')));
}
