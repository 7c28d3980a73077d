/**
 * `runCases`: registers the case files as vitest tests for one target, the way hono's
 * `runTest({ newRouter })` runs one suite against every router. Call it at the top level of a test
 * file: one `describe` per case file, one `it` per request case, status entry, listener status and
 * update step. Checks a target cannot show are registered with `it.skip` and say why.
 */
import { basename } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseFile } from './case-types.js';
import { readCaseFiles, readOne } from './load.js';
import type { CaseFileResult } from './load.js';
import { planCaseFile } from './plan.js';
import type { CaseState, PlannedFile } from './plan.js';
import type { SamplingOptions } from './sampling.js';
import type { CaseTarget } from './target.js';

export interface RunOptions extends SamplingOptions {
  readonly target: CaseTarget;
  /** Folders of case files (read recursively). */
  readonly dirs?: readonly (string | undefined)[];
  /** Single case files. */
  readonly files?: readonly string[];
  /** Keep only the case files this returns true for. */
  readonly filter?: (caseFile: CaseFile) => boolean;
}

function formatProblems(problems: readonly string[]): string {
  return `${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  - ${p}`).join('\n')}`;
}

function registerPlan(plan: PlannedFile, target: CaseTarget, caseFile: CaseFile): void {
  describe(plan.title, () => {
    if (plan.checks.length === 0) {
      it.skip('has no requests, statuses or listener statuses', () => {});
      return;
    }
    const runnable = plan.checks.some((check) => check.skip === undefined);
    const state: CaseState = { objects: caseFile.objects };
    if (runnable) {
      beforeAll(async () => {
        state.session = await target.open(caseFile);
      });
      afterAll(async () => {
        await state.session?.close();
      });
    }
    for (const check of plan.checks) {
      if (check.skip !== undefined) {
        it.skip(`${check.title} — skipped: ${check.skip}`, () => {});
        continue;
      }
      it(check.title, async () => {
        const problems = await check.run(state);
        if (problems.length > 0) expect.fail(formatProblems(problems));
      });
    }
  });
}

function registerResults(results: readonly CaseFileResult[], options: RunOptions): void {
  if (results.length === 0) it.skip('no case files found', () => {});
  for (const result of results) {
    if (!result.ok) {
      const { error } = result;
      it(`${basename(result.file)} is a valid case file`, () => {
        throw error;
      });
      continue;
    }
    if (options.filter && !options.filter(result.caseFile)) continue;
    registerPlan(planCaseFile(result.caseFile, options), options.target, result.caseFile);
  }
}

/**
 * Registers every case of the given folders and files as vitest tests against `target`.
 * `dirs` entries that are `undefined` are ignored (convenient for `externalCasesDir()`); a folder
 * that does not exist is reported as one skipped test.
 *
 * @example
 * ```ts
 * import { casesDir, coreTarget, externalCasesDir, runCases } from '@switchyard/test-kit';
 * runCases({ target: coreTarget(), dirs: [casesDir.gatewayApi, casesDir.delegation, externalCasesDir()] });
 * ```
 */
export function runCases(options: RunOptions): void {
  const dirs = (options.dirs ?? []).filter((dir): dir is string => dir !== undefined);
  describe(options.target.name, () => {
    for (const dir of dirs) {
      describe(basename(dir), () => {
        let results: CaseFileResult[];
        try {
          results = readCaseFiles(dir);
        } catch (error) {
          it.skip(`${dir} — skipped: ${(error as Error).message}`, () => {});
          return;
        }
        registerResults(results, options);
      });
    }
    if (options.files && options.files.length > 0) {
      describe('files', () =>
        registerResults(
          options.files!.map((file) => readOne(file, basename(file))),
          options,
        ));
    }
  });
}
