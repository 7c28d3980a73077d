/**
 * Checks one observation against a request case's expectation. A split observation (the core's
 * weighted decision) must satisfy `backend`/`status`/`redirect` for every outcome, and matches
 * `backends` exactly: the same backends, weights in the same proportions, weight-0 ones absent.
 */
import type {
  BackendExpectation,
  Expectation,
  MirrorExpectation,
  UpstreamExpectation,
  WeightedBackendExpectation,
} from './case-types.js';
import {
  acceptableStatuses,
  compareAbsentHeaders,
  compareHeaders,
  compareRedirect,
} from './compare.js';
import { describeBackend, describeObservation } from './describe.js';
import type {
  BackendId,
  MirrorObservation,
  NormalizedRequest,
  Observation,
  SingleObservation,
  SplitObservation,
} from './target.js';

export function sameBackend(expected: BackendExpectation, actual: BackendId): boolean {
  return (
    (expected.group ?? '') === actual.group &&
    (expected.kind ?? 'Service') === actual.kind &&
    expected.namespace === actual.namespace &&
    expected.name === actual.name &&
    (expected.port === undefined || expected.port === actual.port)
  );
}

/**
 * What the backend received. Without an explicit `path`, the request target must arrive unchanged
 * (FORMAT.md); that implicit check is made only when the target reports the upstream request.
 */
export function checkUpstream(
  expected: UpstreamExpectation | undefined,
  request: NormalizedRequest,
  observation: SingleObservation,
): string[] {
  if (observation.kind !== 'forwarded') return [];
  const upstream = observation.upstream;
  if (!upstream) return expected ? ['the target reported no upstream request to compare'] : [];
  const problems: string[] = [];
  const path = expected?.path ?? request.path;
  if (upstream.path !== path)
    problems.push(`upstream path: got ${upstream.path}, expected ${path}`);
  if (expected?.method && upstream.method !== expected.method) {
    problems.push(`upstream method: got ${upstream.method}, expected ${expected.method}`);
  }
  if (expected?.host && upstream.host?.toLowerCase() !== expected.host.toLowerCase()) {
    problems.push(`upstream host: got ${upstream.host ?? '(none)'}, expected ${expected.host}`);
  }
  problems.push(...compareHeaders(upstream.headers, expected?.headers ?? {}, 'upstream'));
  problems.push(
    ...compareAbsentHeaders(upstream.headers, expected?.absentHeaders ?? [], 'upstream'),
  );
  return problems;
}

function checkResponse(expect: Expectation, observation: SingleObservation): string[] {
  const response = expect.response;
  if (!response || (!response.headers && !response.absentHeaders)) return [];
  const headers =
    observation.kind === 'responded' ? observation.headers : observation.response?.headers;
  if (!headers) return ['the target reported no response headers to compare'];
  return [
    ...compareHeaders(
      headers,
      response.headers ?? {},
      'response',
      response.ignoreWhitespace ?? false,
    ),
    ...compareAbsentHeaders(headers, response.absentHeaders ?? [], 'response'),
  ];
}

/** Checks `backend`, `status` or `redirect` plus `upstream`/`response` against one outcome. */
export function checkSingle(
  expect: Expectation,
  request: NormalizedRequest,
  observation: SingleObservation,
): string[] {
  const problems: string[] = [];
  if (expect.backend) {
    if (observation.kind !== 'forwarded') {
      return [
        `expected ${describeBackend(expect.backend)}, but ${describeObservation(observation)}`,
      ];
    }
    if (!sameBackend(expect.backend, observation.backend)) {
      problems.push(
        `expected ${describeBackend(expect.backend)}, but ${describeObservation(observation)}`,
      );
    }
  }
  if (expect.status !== undefined) {
    const codes = acceptableStatuses(expect.status, expect.timeout);
    const status =
      observation.kind === 'responded' ? observation.status : observation.response?.status;
    if (status === undefined || !codes.includes(status)) {
      problems.push(
        `expected status ${codes.join(' or ')}, but ${describeObservation(observation)}`,
      );
    } else if (
      expect.timeout &&
      observation.kind === 'responded' &&
      observation.timedOut === false
    ) {
      problems.push(`expected a timeout, but the ${status} did not come from one`);
    }
  }
  if (expect.redirect) {
    if (observation.kind !== 'responded')
      return [`expected a redirect, but ${describeObservation(observation)}`];
    problems.push(
      ...compareRedirect(expect.redirect, observation.status, observation.headers, request),
    );
  }
  if (expect.backend || expect.backends)
    problems.push(...checkUpstream(expect.upstream, request, observation));
  problems.push(...checkResponse(expect, observation));
  return problems;
}

/** Each expected mirror is present; a share read from configuration must equal `percent`. */
export function checkMirrors(
  expected: readonly MirrorExpectation[],
  observed: readonly MirrorObservation[] | undefined,
): string[] {
  return expected.flatMap((mirror) => {
    const found = observed?.find((candidate) => sameBackend(mirror, candidate.backend));
    const percent = mirror.percent ?? 100;
    if (!found) return percent === 100 ? [`no mirrored copy to ${describeBackend(mirror)}`] : [];
    if (found.percent !== undefined && found.percent !== percent) {
      return [
        `mirror to ${describeBackend(mirror)}: ${found.percent}% mirrored, expected ${percent}%`,
      ];
    }
    return [];
  });
}

/** The expectation for requests reaching one `backends` entry: its own `upstream` adds to the common one. */
export function expectationFor(
  expect: Expectation,
  entry: WeightedBackendExpectation,
): Expectation {
  const common = expect.upstream;
  const own = entry.upstream;
  if (!own) return expect;
  if (!common) return { ...expect, upstream: own };
  const upstream: UpstreamExpectation = {
    ...common,
    ...own,
    headers: { ...common.headers, ...own.headers },
    absentHeaders: [...(common.absentHeaders ?? []), ...(own.absentHeaders ?? [])],
  };
  return { ...expect, upstream };
}

function checkWeights(
  expected: readonly WeightedBackendExpectation[],
  split: SplitObservation,
): { problems: string[]; matched: [WeightedBackendExpectation, SingleObservation][] } {
  const problems: string[] = [];
  const matched: [WeightedBackendExpectation, SingleObservation][] = [];
  const wanted = expected.filter((backend) => backend.weight > 0);
  const wantedTotal = wanted.reduce((sum, backend) => sum + backend.weight, 0);
  const outcomes = split.outcomes.filter((outcome) => outcome.weight > 0);
  const total = outcomes.reduce((sum, outcome) => sum + outcome.weight, 0);
  for (const outcome of outcomes) {
    const { observation } = outcome;
    const share = `${outcome.weight}/${total}`;
    const entry =
      observation.kind === 'forwarded'
        ? expected.find((b) => sameBackend(b, observation.backend))
        : undefined;
    if (!entry || entry.weight === 0) {
      const why = entry ? 'has weight 0 and must receive nothing' : 'is not expected';
      problems.push(`${describeObservation(observation)} (share ${share}) ${why}`);
      continue;
    }
    matched.push([entry, observation]);
    if (Math.abs(outcome.weight / total - entry.weight / wantedTotal) > 1e-9) {
      problems.push(
        `${describeBackend(entry)}: share ${share}, expected ${entry.weight}/${wantedTotal}`,
      );
    }
  }
  for (const backend of wanted) {
    if (!matched.some(([entry]) => entry === backend))
      problems.push(`no share for ${describeBackend(backend)}`);
  }
  return { problems, matched };
}

/** Checks one observation against the whole expectation (the non-sampling path). */
export function checkObservation(
  expect: Expectation,
  request: NormalizedRequest,
  observation: Observation,
): string[] {
  const split: SplitObservation =
    observation.kind === 'split'
      ? observation
      : { kind: 'split', outcomes: [{ weight: 1, observation }] };
  const mirrors =
    observation.kind === 'split'
      ? observation.mirrors
      : observation.kind === 'forwarded'
        ? observation.mirrors
        : undefined;
  const problems: string[] = [];
  if (expect.backends) {
    const { problems: weightProblems, matched } = checkWeights(expect.backends, split);
    problems.push(...weightProblems);
    for (const [entry, outcome] of matched) {
      const label = `${describeBackend(entry)}: `;
      const merged = expectationFor(expect, entry);
      problems.push(...checkSingle(merged, request, outcome).map((p) => label + p));
    }
  } else {
    const outcomes = split.outcomes.filter((outcome) => outcome.weight > 0);
    if (outcomes.length === 0) problems.push('the target reported no outcome with weight > 0');
    for (const { observation: outcome } of outcomes) {
      const label = outcomes.length > 1 ? `${describeObservation(outcome)}: ` : '';
      problems.push(...checkSingle(expect, request, outcome).map((p) => label + p));
    }
  }
  if (expect.mirrors) problems.push(...checkMirrors(expect.mirrors, mirrors));
  return problems.length > 0 && observation.detail
    ? [...problems, `detail: ${observation.detail}`]
    : problems;
}
