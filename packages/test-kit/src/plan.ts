/**
 * Turns one case file into the list of checks a target will run, each either runnable or skipped
 * with a reason. Pure (no vitest), so tools and tests can count what a target covers; `runner.ts`
 * registers the plan as vitest tests.
 */
import type {
  CaseFile,
  ListenerStatusExpectation,
  RequestCase,
  StatusExpectation,
  UpdateStep,
} from './case-types.js';
import { checkObservation } from './check-request.js';
import { checkListenerStatus, checkRouteStatus } from './check-status.js';
import { needsOf, normalizeRequest, unmetNeeds } from './normalize-case.js';
import { sampleBackends, sampleMirrors } from './sampling.js';
import type { SamplingOptions, Sender } from './sampling.js';
import type { CaseSession, CaseTarget } from './target.js';
import { applyUpdate } from './updates.js';
import { describeRequestCase } from './describe.js';

type KubeObject = Readonly<Record<string, unknown>>;

/** Mutable state of one case file while its checks run in order. */
export interface CaseState {
  session?: CaseSession;
  objects: readonly KubeObject[];
  /** Set when an update step failed: later checks would run against the wrong objects. */
  failedStep?: number;
}

export type CheckKind = 'request' | 'route-status' | 'listener-status' | 'update';

export interface PlannedCheck {
  readonly kind: CheckKind;
  readonly title: string;
  /** Why the check is skipped; undefined when it runs. */
  readonly skip?: string;
  /** Runs the check; resolves to the problems found (empty = pass). */
  readonly run: (state: CaseState) => Promise<string[]>;
}

export interface PlannedFile {
  readonly title: string;
  /** Set when the whole file is skipped (every check then carries it too). */
  readonly skip?: string;
  readonly checks: readonly PlannedCheck[];
}

export interface PlanOptions extends SamplingOptions {
  readonly target: CaseTarget;
}

function fileSkipReason(caseFile: CaseFile, target: CaseTarget): string | undefined {
  if (caseFile.unknownKeys.length > 0)
    return `uses keys this runner does not implement: ${caseFile.unknownKeys.join(', ')}`;
  const missing = [
    ...caseFile.features.filter((feature) => !target.supports(feature)),
    ...Object.keys(caseFile.options)
      .map((key) => `options.${key}`)
      .filter((key) => !target.supports(key)),
  ];
  return missing.length > 0 ? `${target.name} does not support ${missing.join(', ')}` : undefined;
}

function sessionOf(state: CaseState, step: number): CaseSession {
  if (state.failedStep !== undefined && state.failedStep < step) {
    throw new Error(
      `update step ${state.failedStep + 1} failed; this check would see the wrong objects`,
    );
  }
  if (!state.session) throw new Error('the target did not open this case');
  return state.session;
}

function requestCheck(
  caseFile: CaseFile,
  requestCase: RequestCase,
  index: number,
  step: number,
  options: PlanOptions,
): PlannedCheck {
  const { target } = options;
  const unknown = requestCase.unknownKeys;
  const unmet = unmetNeeds(needsOf(requestCase), (what) => target.canObserve(what));
  const skip =
    unknown.length > 0
      ? `unknown keys ${unknown.join(', ')}`
      : unmet.length > 0
        ? `cannot observe ${unmet.join(', ')}`
        : undefined;
  const run = async (state: CaseState): Promise<string[]> => {
    const session = sessionOf(state, step);
    const send: Sender = async () => {
      const request = normalizeRequest(requestCase.request, caseFile, state.objects);
      return { request, observation: await session.send(request) };
    };
    const { expect } = requestCase;
    const sampleWeights = expect.backends !== undefined && !target.canObserve('backends.exact');
    const sampleShares =
      (expect.mirrors ?? []).some((m) => (m.percent ?? 100) < 100) &&
      !target.canObserve('mirrors.percent.exact');
    if (!sampleWeights && !sampleShares) {
      const { request, observation } = await send();
      return checkObservation(expect, request, observation);
    }
    const problems: string[] = [];
    if (expect.backends && sampleWeights)
      problems.push(
        ...(await sampleBackends({ ...expect, backends: expect.backends }, send, options)),
      );
    if (sampleShares) problems.push(...(await sampleMirrors(expect, send, options)));
    return problems;
  };
  return {
    kind: 'request',
    title: `request ${index + 1}: ${describeRequestCase(requestCase)}`,
    ...(skip ? { skip } : {}),
    run,
  };
}

function statusCheck(expected: StatusExpectation, step: number, target: CaseTarget): PlannedCheck {
  const parent = `${expected.parent.kind ?? 'Gateway'} ${expected.parent.namespace ?? expected.route.split('/')[0]}/${expected.parent.name}`;
  const skip =
    expected.unknownKeys.length > 0
      ? `unknown keys ${expected.unknownKeys.join(', ')}`
      : target.canObserve('route-status')
        ? undefined
        : 'cannot observe route-status';
  return {
    kind: 'route-status',
    title: `status of ${expected.route} for ${parent}${expected.absent ? ' is absent' : ''}`,
    ...(skip ? { skip } : {}),
    run: async (state) =>
      checkRouteStatus(expected, (await sessionOf(state, step).statuses()).routes),
  };
}

function listenerCheck(
  expected: ListenerStatusExpectation,
  step: number,
  target: CaseTarget,
): PlannedCheck {
  const skip =
    expected.unknownKeys.length > 0
      ? `unknown keys ${expected.unknownKeys.join(', ')}`
      : target.canObserve('listener-status')
        ? undefined
        : 'cannot observe listener-status';
  return {
    kind: 'listener-status',
    title: `listener status of ${expected.gateway.namespace}/${expected.gateway.name} ${expected.listener}`,
    ...(skip ? { skip } : {}),
    run: async (state) =>
      checkListenerStatus(expected, (await sessionOf(state, step).statuses()).gateways),
  };
}

function phaseChecks(
  caseFile: CaseFile,
  phase: {
    requests: readonly RequestCase[];
    statuses: readonly StatusExpectation[];
    listenerStatuses: readonly ListenerStatusExpectation[];
  },
  step: number,
  options: PlanOptions,
): PlannedCheck[] {
  const prefix = step === 0 ? '' : `after update ${step}: `;
  return [
    ...phase.requests.map((requestCase, index) =>
      requestCheck(caseFile, requestCase, index, step, options),
    ),
    ...phase.statuses.map((status) => statusCheck(status, step, options.target)),
    ...phase.listenerStatuses.map((listener) => listenerCheck(listener, step, options.target)),
  ].map((check) => ({ ...check, title: prefix + check.title }));
}

function updateCheck(step: UpdateStep, number: number): PlannedCheck {
  const summary = [
    step.apply.length ? `apply ${step.apply.length}` : '',
    step.delete.length ? `delete ${step.delete.length}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return {
    kind: 'update',
    title: `update ${number}: ${summary}`,
    run: async (state) => {
      const session = sessionOf(state, number);
      try {
        const next = applyUpdate(state.objects, step);
        await session.apply(step, next);
        state.objects = next;
        return [];
      } catch (error) {
        state.failedStep = number - 1;
        throw error;
      }
    },
  };
}

/**
 * The checks of one case file for one target, in the order they must run: initial requests and
 * statuses, then each update step followed by its own checks.
 */
export function planCaseFile(caseFile: CaseFile, options: PlanOptions): PlannedFile {
  const { target } = options;
  const fileSkip = fileSkipReason(caseFile, target);
  const checks: PlannedCheck[] = phaseChecks(caseFile, caseFile, 0, options);
  let stepSkip: string | undefined = target.supports('updates')
    ? undefined
    : `${target.name} does not support updates`;
  caseFile.updates.forEach((step, index) => {
    if (!stepSkip && step.unknownKeys.length > 0)
      stepSkip = `update ${index + 1} uses unknown keys ${step.unknownKeys.join(', ')}`;
    const stepChecks = [
      updateCheck(step, index + 1),
      ...phaseChecks(caseFile, step, index + 1, options),
    ];
    checks.push(...stepChecks.map((check) => (stepSkip ? { ...check, skip: stepSkip } : check)));
  });
  const title = `${caseFile.name} (${caseFile.relativePath})`;
  if (!fileSkip) return { title, checks };
  return { title, skip: fileSkip, checks: checks.map((check) => ({ ...check, skip: fileSkip })) };
}
