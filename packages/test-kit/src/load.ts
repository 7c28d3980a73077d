/**
 * Finding, parsing and validating case files. A runner accepts any folder of case files, so new
 * cases can be dropped in without code; a malformed file becomes one failing test (with the file
 * and field named), never a crash of the whole run.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { CaseFile } from './case-types.js';
import { readCaseFile } from './validate-case.js';
import { FieldError } from './validate-fields.js';

export type * from './case-types.js';

/** The case folders bundled with this package (copied from the shared corpus by `cases:sync`). */
export const casesDir = {
  /** One file per HTTPRoute conformance test of kubernetes-sigs/gateway-api. */
  gatewayApi: fileURLToPath(new URL('../cases/gateway-api', import.meta.url)),
  /** Route delegation (kgateway semantics), written for this project. */
  delegation: fileURLToPath(new URL('../cases/delegation', import.meta.url)),
  /** Switchyard's own Gateway decisions: listener and certificate statuses, reference reporting. */
  switchyard: fileURLToPath(new URL('../cases/switchyard', import.meta.url)),
} as const;

/** A folder of extra cases named by `SWITCHYARD_CASES_DIR`, if set. */
export function externalCasesDir(
  env: Readonly<Record<string, string | undefined>> = process.env,
): string | undefined {
  const dir = env['SWITCHYARD_CASES_DIR'];
  return dir ? dir : undefined;
}

/** A case file that could not be read, parsed or validated. */
export class CaseFileError extends Error {
  constructor(
    readonly file: string,
    /** Field path inside the file (`requests[2].expect`), '' for the whole file. */
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${file}: ${field ? `${field}: ` : ''}${problem}`);
    this.name = 'CaseFileError';
  }
}

export type CaseFileResult =
  | { readonly ok: true; readonly file: string; readonly caseFile: CaseFile }
  | { readonly ok: false; readonly file: string; readonly error: CaseFileError };

/**
 * Parses and validates one case file's text.
 * @throws CaseFileError naming the file and the first malformed field.
 * @example parseCaseFile(readFileSync(path, 'utf8'), path)
 */
export function parseCaseFile(source: string, file: string, relativePath = file): CaseFile {
  let value: unknown;
  try {
    value = parse(source, { prettyErrors: true });
  } catch (error) {
    throw new CaseFileError(file, '', `invalid YAML: ${(error as Error).message}`);
  }
  try {
    return readCaseFile(value, file, relativePath);
  } catch (error) {
    if (error instanceof FieldError) throw new CaseFileError(file, error.field, error.problem);
    throw error;
  }
}

/** Every `*.yaml` / `*.yml` file below `dir`, recursively, sorted by relative path. */
export function listCaseFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.ya?ml$/i.test(entry.name)) found.push(path);
    }
  };
  walk(dir);
  return found.sort((a, b) => relative(dir, a).localeCompare(relative(dir, b)));
}

/**
 * Reads every case file of a folder without throwing for a bad file: each result is either the
 * case or its error. Throws only when `dir` itself does not exist.
 */
export function readCaseFiles(dir: string): CaseFileResult[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new Error(`case folder ${dir} does not exist`);
  }
  return listCaseFiles(dir).map((file) => readOne(file, relative(dir, file)));
}

/** Reads one case file without throwing (the runner's `files` option). */
export function readOne(file: string, relativePath: string): CaseFileResult {
  try {
    return {
      ok: true,
      file,
      caseFile: parseCaseFile(readFileSync(file, 'utf8'), file, relativePath),
    };
  } catch (error) {
    const caseError =
      error instanceof CaseFileError
        ? error
        : new CaseFileError(file, '', (error as Error).message);
    return { ok: false, file, error: caseError };
  }
}

/**
 * Loads every case file of a folder (recursively, sorted), for tools that want all or nothing.
 * @throws Error listing every malformed file with its field.
 */
export function loadCaseFiles(dir: string): CaseFile[] {
  const results = readCaseFiles(dir);
  const errors = results.flatMap((result) => (result.ok ? [] : [result.error.message]));
  if (errors.length > 0) throw new Error(`malformed case files:\n${errors.join('\n')}`);
  return results.flatMap((result) => (result.ok ? [result.caseFile] : []));
}
