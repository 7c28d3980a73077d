/**
 * One-line descriptions of request cases for test titles: the request as written and what must
 * happen, e.g. `GET example.com/v2 → Service infra/infra-backend-v2:8080`.
 */
import type { BackendExpectation, Expectation, RequestCase, RequestSpec } from './case-types.js';
import type { BackendId, SingleObservation } from './target.js';

export function describeBackend(backend: BackendExpectation | BackendId): string {
  const kind = backend.group
    ? `${backend.kind ?? 'Service'}.${backend.group}`
    : (backend.kind ?? 'Service');
  const port = backend.port === undefined ? '' : `:${backend.port}`;
  return `${kind} ${backend.namespace}/${backend.name}${port}`;
}

export function describeObservation(observation: SingleObservation): string {
  return observation.kind === 'forwarded'
    ? `forwarded to ${describeBackend(observation.backend)}`
    : `answered ${observation.status}${observation.timedOut ? ' (timeout)' : ''}`;
}

function describeRequest(request: RequestSpec): string {
  const method = request.method ?? 'GET';
  const scheme = request.scheme === 'https' ? 'https://' : '';
  const port = request.port === undefined ? '' : `:${request.port}`;
  const gateway = request.gateway ? ` via ${request.gateway.name}` : '';
  const headers = Object.entries(request.headers ?? {})
    .map(([name, value]) => `${name}: ${typeof value === 'string' ? value : value.join(',')}`)
    .join('; ');
  const extras = [
    request.sni ? `sni ${request.sni}` : '',
    request.protocol === 'HTTP/2' ? 'HTTP/2' : '',
    request.websocket ? 'websocket' : '',
    headers,
  ].filter(Boolean);
  const host = request.host ?? (scheme || port ? '<gateway>' : '');
  return `${method} ${scheme}${host}${port}${request.path}${gateway}${extras.length ? ` [${extras.join('; ')}]` : ''}`;
}

function describeExpectation(expect: Expectation): string {
  if (expect.backend) return describeBackend(expect.backend);
  if (expect.backends) return expect.backends.map((b) => `${b.name}×${b.weight}`).join(' + ');
  if (expect.redirect) {
    const { status, scheme, hostname, port, path } = expect.redirect;
    const target = `${scheme ? `${scheme}://` : ''}${hostname ?? ''}${port ? `:${port}` : ''}${path ?? ''}`;
    return `redirect ${status ?? ''} ${target}`.replace(/\s+/g, ' ').trim();
  }
  const status = expect.status;
  return `status ${typeof status === 'number' ? status : (status ?? []).join('|')}${expect.timeout ? ' (timeout)' : ''}`;
}

/** `name` when the case has one, else a summary of request and expectation. */
export function describeRequestCase(requestCase: RequestCase): string {
  const summary = `${describeRequest(requestCase.request)} → ${describeExpectation(requestCase.expect)}`;
  return requestCase.name ? `${requestCase.name} (${summary})` : summary;
}
