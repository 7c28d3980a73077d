/**
 * Reading a core `Decision` as the runner's `Observation`: a forward decision becomes a split
 * (every backend with its weight, what it would receive, what the client would get back), a
 * redirect or respond decision becomes the gateway's own answer.
 */
import { applyHeaderModifier, corsResponseHeaders } from '@switchyard/core';
import type { Decision, DecisionBackend, ForwardDecision, HeaderModifier } from '@switchyard/core';
import { headerValue } from './compare.js';
import type {
  NormalizedRequest,
  Observation,
  ObservedHeaders,
  SingleObservation,
} from './target.js';

function modify(
  headers: ObservedHeaders,
  ...modifiers: (HeaderModifier | undefined)[]
): ObservedHeaders {
  let result = headers;
  for (const modifier of modifiers) if (modifier) result = applyHeaderModifier(result, modifier);
  return result;
}

/** The echo backend's answer to `x-echo-set-header: name:value,name2:value2`. */
export function echoSetHeaders(request: NormalizedRequest): Record<string, string[]> {
  const headers: Record<string, string[]> = {};
  const spec = headerValue(request.headers, 'x-echo-set-header');
  for (const pair of spec ? spec.split(',') : []) {
    const colon = pair.indexOf(':');
    if (colon <= 0) continue;
    const name = pair.slice(0, colon).trim();
    (headers[name] ??= []).push(pair.slice(colon + 1).trim());
  }
  return headers;
}

function backendOutcome(
  decision: ForwardDecision,
  backend: DecisionBackend,
  request: NormalizedRequest,
  echo: boolean,
): SingleObservation {
  if (backend.invalid) return { kind: 'responded', status: backend.invalid.status, headers: {} };
  if (backend.redirect) {
    return {
      kind: 'responded',
      status: backend.redirect.status,
      headers: { location: backend.redirect.location },
    };
  }
  const upstream = backend.upstream ?? decision.upstream;
  const origin = headerValue(request.headers, 'origin');
  const answered = modify(
    echo ? echoSetHeaders(request) : {},
    decision.responseHeaders,
    backend.responseHeaders,
  );
  return {
    kind: 'forwarded',
    backend: {
      group: backend.group,
      kind: backend.kind,
      namespace: backend.namespace,
      name: backend.name,
      port: backend.port,
    },
    upstream: {
      method: request.method,
      path: upstream.path,
      ...((upstream.host ?? request.host) === undefined
        ? {}
        : { host: upstream.host ?? request.host }),
      headers: modify(request.headers, decision.requestHeaders, backend.requestHeaders),
    },
    response: {
      headers: {
        ...answered,
        ...(decision.cors ? corsResponseHeaders(decision.cors, origin) : {}),
      },
    },
  };
}

function detailOf(decision: Decision): string {
  const text = JSON.stringify(decision);
  return text.length > 800 ? `${text.slice(0, 800)}…` : text;
}

/** Reads a decision as the runner's observation: a split for `forward`, an answer otherwise. */
export function observeDecision(
  decision: Decision,
  request: NormalizedRequest,
  echo = true,
): Observation {
  const detail = detailOf(decision);
  if (decision.kind === 'respond')
    return { kind: 'responded', status: decision.status, headers: decision.headers ?? {}, detail };
  if (decision.kind === 'redirect') {
    const headers = modify({ location: decision.location }, decision.responseHeaders);
    return { kind: 'responded', status: decision.status, headers, detail };
  }
  return {
    kind: 'split',
    outcomes: decision.backends.map((backend) => ({
      weight: backend.weight,
      observation: backendOutcome(decision, backend, request, echo),
    })),
    mirrors: decision.mirrors.map(({ backend, percent }) => ({
      backend: {
        group: backend.group,
        kind: backend.kind,
        namespace: backend.namespace,
        name: backend.name,
        port: backend.port,
      },
      percent,
    })),
    detail,
  };
}
