/**
 * @switchyard/test-kit (private): the one conformance runner every implementation runs the
 * routing case files through, the core now and the Node proxy and framework adapters later.
 *
 * @example
 * ```ts
 * // packages/test-kit/test/core-conformance.test.ts
 * import { casesDir, coreTarget, externalCasesDir, runCases } from '@switchyard/test-kit';
 * runCases({ target: coreTarget(), dirs: [casesDir.gatewayApi, casesDir.delegation, externalCasesDir()] });
 * ```
 */
export type * from './case-types.js';
export type * from './target.js';
export { runCases } from './runner.js';
export type { RunOptions } from './runner.js';
export { planCaseFile } from './plan.js';
export type { CaseState, CheckKind, PlannedCheck, PlannedFile, PlanOptions } from './plan.js';
export {
  CaseFileError,
  casesDir,
  externalCasesDir,
  listCaseFiles,
  loadCaseFiles,
  parseCaseFile,
  readCaseFiles,
  readOne,
} from './load.js';
export type { CaseFileResult } from './load.js';
export {
  defaultPort,
  hostWithoutPort,
  needsOf,
  normalizeRequest,
  unmetNeeds,
} from './normalize-case.js';
export type { Need } from './normalize-case.js';
export { applyUpdate } from './updates.js';
export {
  acceptableStatuses,
  compareAbsentHeaders,
  compareHeaders,
  compareRedirect,
  headerMatches,
  headerValue,
  parseLocation,
} from './compare.js';
export type { ParsedLocation, RedirectRequest } from './compare.js';
export { checkMirrors, checkObservation, checkSingle, checkUpstream } from './check-request.js';
export { describeBackend, describeRequestCase } from './describe.js';
export { checkListenerStatus, checkRouteStatus, compareConditions } from './check-status.js';
export { sampleBackends, sampleMirrors } from './sampling.js';
export type { SamplingOptions, Sender } from './sampling.js';
export { CORE_FEATURES, caseCompileOptions, coreTarget } from './core-target.js';
export { echoSetHeaders, observeDecision } from './core-observe.js';
export type { CoreTargetOptions } from './core-target.js';
export * from './echo/index.js';
export * from './http-target/index.js';
export * from './adapter-support/index.js';
export * from './raw/index.js';
