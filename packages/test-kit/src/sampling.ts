/**
 * Statistics for data-plane targets, which see one request at a time: a weighted split or a mirror
 * share is measured over many sends. Defaults are upstream's (HTTPRouteWeight: 500 requests, each
 * share within ±0.05; HTTPRouteRequestPercentageMirror: 500 requests, n·p ± 3·√(n·p·(1−p))).
 */
import type { Expectation, WeightedBackendExpectation } from './case-types.js';
import { checkObservation, checkSingle, expectationFor, sameBackend } from './check-request.js';
import { describeBackend, describeObservation } from './describe.js';
import type { NormalizedRequest, Observation } from './target.js';

export interface SamplingOptions {
  /**
   * Requests per weighted split. Default 2000: upstream's ±0.05 over 500 requests is only ~2.4σ
   * (a 1-2% chance of failing a correct split per check); over 2000 it is ≥ 4.4σ for any share.
   */
  readonly sampleSize?: number;
  /** Allowed absolute difference between a measured and an expected share. Default 0.05. */
  readonly tolerance?: number;
}

/** Sends one request (fresh `{uuid}` each time) and reports what happened. */
export type Sender = () => Promise<{ request: NormalizedRequest; observation: Observation }>;

const MAX_REPORTED = 5;

function addProblem(problems: string[], problem: string): void {
  if (problems.length < MAX_REPORTED && !problems.includes(problem)) problems.push(problem);
}

/**
 * Measures a `backends` split. Weight-0 backends (and anything not listed) must receive nothing;
 * every request must also satisfy the expectation's `upstream`/`response` for its backend.
 */
export async function sampleBackends(
  expect: Expectation & { backends: readonly WeightedBackendExpectation[] },
  send: Sender,
  options: SamplingOptions = {},
): Promise<string[]> {
  const size = options.sampleSize ?? 2000;
  const tolerance = options.tolerance ?? 0.05;
  const counts = new Map<WeightedBackendExpectation, number>();
  const problems: string[] = [];
  for (let i = 0; i < size; i += 1) {
    const { request, observation } = await send();
    // A target that knows the decision answers a split: check it exactly and stop sampling.
    if (observation.kind === 'split') return checkObservation(expect, request, observation);
    const backend = observation.kind === 'forwarded' ? observation.backend : undefined;
    const entry = backend && expect.backends.find((candidate) => sameBackend(candidate, backend));
    if (!entry) {
      addProblem(problems, `unexpected outcome: ${describeObservation(observation)}`);
      continue;
    }
    counts.set(entry, (counts.get(entry) ?? 0) + 1);
    const merged = expectationFor(expect, entry);
    for (const problem of checkSingle(merged, request, observation)) {
      addProblem(problems, `${describeBackend(entry)}: ${problem}`);
    }
  }
  const total = expect.backends.reduce((sum, backend) => sum + backend.weight, 0);
  for (const backend of expect.backends) {
    const count = counts.get(backend) ?? 0;
    const want = backend.weight / total;
    if (backend.weight === 0 ? count > 0 : Math.abs(count / size - want) > tolerance) {
      problems.push(
        `${describeBackend(backend)}: ${count}/${size} requests (${(count / size).toFixed(3)}), ` +
          `expected ${want.toFixed(3)} ± ${backend.weight === 0 ? 0 : tolerance}`,
      );
    }
  }
  return problems;
}

/**
 * Measures mirror shares below 100%: each listed mirror must receive a copy of a share of the
 * requests within three standard deviations of `percent`. Every request must also reach its
 * primary expectation.
 */
export async function sampleMirrors(
  expect: Expectation,
  send: Sender,
  options: SamplingOptions = {},
): Promise<string[]> {
  const size = options.sampleSize ?? 500;
  const partial = (expect.mirrors ?? []).filter((mirror) => (mirror.percent ?? 100) < 100);
  const counts = partial.map(() => 0);
  const problems: string[] = [];
  const primary: Expectation = {
    ...expect,
    mirrors: (expect.mirrors ?? []).filter((m) => !partial.includes(m)),
  };
  for (let i = 0; i < size; i += 1) {
    const { request, observation } = await send();
    if (observation.kind === 'split') return checkObservation(expect, request, observation);
    for (const problem of checkObservation(primary, request, observation))
      addProblem(problems, problem);
    const mirrors = observation.kind === 'forwarded' ? (observation.mirrors ?? []) : [];
    partial.forEach((mirror, index) => {
      if (mirrors.some((candidate) => sameBackend(mirror, candidate.backend)))
        counts[index] = (counts[index] ?? 0) + 1;
    });
  }
  partial.forEach((mirror, index) => {
    const p = (mirror.percent ?? 100) / 100;
    const mean = size * p;
    const spread = 3 * Math.sqrt(size * p * (1 - p));
    const count = counts[index] ?? 0;
    if (Math.abs(count - mean) > spread) {
      problems.push(
        `mirror to ${describeBackend(mirror)}: ${count}/${size} copies, expected ${mean.toFixed(0)} ± ${spread.toFixed(1)}`,
      );
    }
  });
  return problems;
}
