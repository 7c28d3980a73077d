/**
 * RequestMirror (C-27, C-28, D-7 fraction default) and CORS (C-35..C-37, D-7 maxAge default)
 * filter configurations. Each reader gets the configuration's own path, e.g.
 * `spec.rules[0].filters[2].requestMirror`.
 */
import {
  at,
  defined,
  get,
  has,
  join,
  quote,
  readBoolean,
  readEnum,
  readInteger,
  readItem,
  readList,
  readRequired,
  readString,
  report,
  type Problems,
} from './field-path.js';
import { HEADER_NAME, readTyped } from './names.js';
import type { NormalizedCors, NormalizedMirror } from './normalized.js';
import { METHODS } from './validate-match.js';
import { normalizeBackendObjectRef } from './validate-object-refs.js';

/** The mirrored share of a `fraction`, in percent; C-28 checked. */
function fractionPercent(value: unknown, path: string, problems: Problems): number | undefined {
  const fraction = readItem(value, path, problems);
  if (!fraction) return undefined;
  const numeratorPath = join(path, 'numerator');
  const numerator = readRequired(get(fraction, 'numerator'), numeratorPath, problems, (v) =>
    readInteger(v, numeratorPath, problems, { min: 0 }),
  );
  const denominatorPath = join(path, 'denominator');
  const denominator =
    readInteger(get(fraction, 'denominator'), denominatorPath, problems, { min: 1 }) ?? 100;
  if (numerator === undefined) return undefined;
  if (numerator > denominator) {
    report(problems, path, 'numerator must be less than or equal to denominator');
  }
  return (numerator / denominator) * 100;
}

/** RequestMirror: the share comes from `percent`, or from `fraction`, else 100. */
export function normalizeMirror(
  value: unknown,
  path: string,
  problems: Problems,
  namespace: string,
): NormalizedMirror | undefined {
  const record = readItem(value, path, problems);
  if (!record) return undefined;
  const before = problems.length;
  const refPath = join(path, 'backendRef');
  const backendRef = readRequired(get(record, 'backendRef'), refPath, problems, (v) =>
    normalizeBackendObjectRef(v, refPath, problems, namespace),
  );
  const percent = readInteger(get(record, 'percent'), join(path, 'percent'), problems, {
    min: 0,
    max: 100,
  });
  const fractionValue = get(record, 'fraction');
  const fraction =
    fractionValue === undefined
      ? undefined
      : fractionPercent(fractionValue, join(path, 'fraction'), problems);
  if (has(record, 'percent') && fractionValue !== undefined) {
    report(
      problems,
      path,
      'Only one of percent or fraction may be specified in HTTPRequestMirrorFilter',
    );
  }
  if (backendRef === undefined || problems.length > before) return undefined;
  return { backendRef, percent: percent ?? fraction ?? 100 };
}

const CORS_ORIGIN =
  /(^\*$)|(^(http(s)?):\/\/(((\*\.)?([a-zA-Z0-9-]+\.)*[a-zA-Z0-9-]+|\*)(:([0-9]{1,5}))?)$)/;
const MAX_ORIGIN = 253;
const MAX_CORS_ITEMS = 64;
const CORS_METHODS: readonly string[] = [...METHODS, '*'];

/** A list of strings under `record[key]`, each read by `readValue`. */
function readStrings(
  record: unknown,
  key: string,
  path: string,
  problems: Problems,
  readValue: (value: unknown, itemPath: string) => string | undefined,
  max = MAX_CORS_ITEMS,
): string[] {
  const listPath = join(path, key);
  const items = readList(get(record, key), listPath, problems, { max }) ?? [];
  return defined(
    items.map((item, i) => {
      const itemPath = at(listPath, i);
      return readRequired(item, itemPath, problems, (v) => readValue(v, itemPath));
    }),
  );
}

/** C-35..C-37: `*` must stand alone. */
function checkWildcardAlone(
  values: readonly string[],
  path: string,
  problems: Problems,
  message: string,
): void {
  if (values.includes('*') && values.length > 1) report(problems, path, message);
}

export function normalizeCors(
  value: unknown,
  path: string,
  problems: Problems,
): NormalizedCors | undefined {
  const record = readItem(value, path, problems);
  if (!record) return undefined;
  const before = problems.length;
  const allowOrigins = readStrings(record, 'allowOrigins', path, problems, (v, itemPath) => {
    const origin = readString(v, itemPath, problems, { min: 1, max: MAX_ORIGIN });
    if (origin !== undefined && origin.length <= MAX_ORIGIN && !CORS_ORIGIN.test(origin)) {
      report(
        problems,
        itemPath,
        `invalid value ${quote(origin)}: must match ${CORS_ORIGIN.source}`,
      );
    }
    return origin;
  });
  const method = (v: unknown, itemPath: string): string | undefined =>
    readEnum(v, itemPath, problems, CORS_METHODS);
  const allowMethods = readStrings(
    record,
    'allowMethods',
    path,
    problems,
    method,
    CORS_METHODS.length,
  );
  const headerName = (v: unknown, itemPath: string): string | undefined =>
    readTyped(v, itemPath, problems, HEADER_NAME);
  const allowHeaders = readStrings(record, 'allowHeaders', path, problems, headerName);
  const exposeHeaders = readStrings(record, 'exposeHeaders', path, problems, headerName);
  const wildcard = (key: string, message: string, values: readonly string[]): void =>
    checkWildcardAlone(values, join(path, key), problems, message);
  wildcard('allowOrigins', "AllowOrigins cannot contain '*' alongside other origins", allowOrigins);
  wildcard('allowMethods', "AllowMethods cannot contain '*' alongside other methods", allowMethods);
  // "other methods" for headers is upstream's wording (C-37), kept verbatim.
  wildcard('allowHeaders', "AllowHeaders cannot contain '*' alongside other methods", allowHeaders);
  const allowCredentials =
    readBoolean(get(record, 'allowCredentials'), join(path, 'allowCredentials'), problems) ?? false;
  const maxAge =
    readInteger(get(record, 'maxAge'), join(path, 'maxAge'), problems, { min: 1 }) ?? 5;
  if (problems.length > before) return undefined;
  return { allowOrigins, allowCredentials, allowMethods, allowHeaders, exposeHeaders, maxAge };
}
