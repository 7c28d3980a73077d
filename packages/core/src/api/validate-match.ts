/**
 * HTTPRouteMatch: defaults D-3 and D-4, the path CEL rules C-1..C-11, structural limits, and our
 * decision 3 (RegularExpression values must be RE2).
 */
import { compileRegex } from '../match/regex.js';
import {
  at,
  defined,
  get,
  join,
  readEnum,
  readItem,
  readList,
  readRecord,
  readString,
  report,
  readRequired,
  type Problems,
} from './field-path.js';
import { HEADER_NAME, readTyped } from './names.js';
import type { NormalizedMatch, NormalizedPathMatch, NormalizedValueMatch } from './normalized.js';
import type { HTTPMethod, PathMatchType } from './objects.js';

export const PATH_TYPES: readonly PathMatchType[] = ['Exact', 'PathPrefix', 'RegularExpression'];
export const VALUE_MATCH_TYPES: readonly NormalizedValueMatch['type'][] = [
  'Exact',
  'RegularExpression',
];
export const METHODS: readonly HTTPMethod[] = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'CONNECT',
  'OPTIONS',
  'TRACE',
  'PATCH',
];

/** D-3: what an omitted `matches`, `path`, `path.type` and `path.value` add up to. */
export const DEFAULT_PATH: NormalizedPathMatch = { type: 'PathPrefix', value: '/' };
export const DEFAULT_MATCH: NormalizedMatch = { path: DEFAULT_PATH, headers: [], queryParams: [] };

const MAX_PATH_VALUE = 1024;
const MAX_HEADER_VALUE = 4096;
const MAX_QUERY_VALUE = 1024;
const MAX_VALUE_MATCHES = 16;

const FOR_EXACT_OR_PREFIX = "when type one of ['Exact', 'PathPrefix']";
const FORBIDDEN_PARTS = ['//', '/./', '/../', '%2f', '%2F', '#'] as const;
const PATH_CHARACTERS = /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$/;

/** C-10 (the CEL wording, which names the supported values). */
export const PATH_TYPE_MESSAGE = "type must be one of ['Exact', 'PathPrefix', 'RegularExpression']";

/** The messages of the CEL rules C-1..C-9 and C-11 that an Exact or PathPrefix value breaks. */
export function pathValueMessages(value: string): string[] {
  const messages: string[] = [];
  if (!value.startsWith('/')) {
    messages.push(`value must be an absolute path and start with '/' ${FOR_EXACT_OR_PREFIX}`);
  }
  for (const part of FORBIDDEN_PARTS) {
    if (value.includes(part)) messages.push(`must not contain '${part}' ${FOR_EXACT_OR_PREFIX}`);
  }
  if (value.endsWith('/..')) messages.push(`must not end with '/..' ${FOR_EXACT_OR_PREFIX}`);
  if (value.endsWith('/.')) messages.push(`must not end with '/.' ${FOR_EXACT_OR_PREFIX}`);
  if (!PATH_CHARACTERS.test(value)) {
    messages.push(
      `must only contain valid characters (matching ${PATH_CHARACTERS.source}) for types ['Exact', 'PathPrefix']`,
    );
  }
  return messages;
}

/** Decision 3: a RegularExpression value must compile as RE2. */
function checkRegex(value: string, path: string, problems: Problems): void {
  const result = compileRegex(value);
  if (!result.ok) report(problems, path, result.message);
}

export function normalizePathMatch(
  value: unknown,
  path: string,
  problems: Problems,
): NormalizedPathMatch | undefined {
  if (value === undefined || value === null) return DEFAULT_PATH;
  const record = readRecord(value, path, problems);
  if (!record) return undefined;
  const before = problems.length;
  const rawType = get(record, 'type');
  const type = rawType === undefined ? 'PathPrefix' : PATH_TYPES.find((known) => known === rawType);
  if (type === undefined) report(problems, join(path, 'type'), PATH_TYPE_MESSAGE);
  const valuePath = join(path, 'value');
  const text =
    readString(get(record, 'value'), valuePath, problems, { max: MAX_PATH_VALUE }) ?? '/';
  if (type === undefined || problems.length > before) return undefined;
  if (type === 'RegularExpression') checkRegex(text, valuePath, problems);
  else for (const message of pathValueMessages(text)) report(problems, valuePath, message);
  return problems.length > before ? undefined : { type, value: text };
}

/** A header (`header`) or query parameter match; header names are lower-cased. */
function normalizeValueMatch(
  value: unknown,
  path: string,
  problems: Problems,
  kind: 'header' | 'query',
): NormalizedValueMatch | undefined {
  const record = readItem(value, path, problems);
  if (!record) return undefined;
  const before = problems.length;
  const namePath = join(path, 'name');
  const rawName = get(record, 'name');
  const name = readRequired(rawName, namePath, problems, (v) =>
    readTyped(v, namePath, problems, HEADER_NAME),
  );
  const valuePath = join(path, 'value');
  const rawValue = get(record, 'value');
  const max = kind === 'header' ? MAX_HEADER_VALUE : MAX_QUERY_VALUE;
  const text = readRequired(rawValue, valuePath, problems, (v) =>
    readString(v, valuePath, problems, { min: 1, max }),
  );
  const type =
    readEnum(get(record, 'type'), join(path, 'type'), problems, VALUE_MATCH_TYPES) ?? 'Exact';
  if (name === undefined || text === undefined || problems.length > before) return undefined;
  if (type === 'RegularExpression') checkRegex(text, valuePath, problems);
  if (problems.length > before) return undefined;
  return { type, name: kind === 'header' ? name.toLowerCase() : name, value: text };
}

/** HM-4 / QM-4: of entries with the same name, only the first is used. */
function firstOfEachName(matches: NormalizedValueMatch[]): NormalizedValueMatch[] {
  // Most matches have no header or query list, or one entry: no duplicates to look for.
  if (matches.length < 2) return matches;
  const seen = new Set<string>();
  return matches.filter((match) => !seen.has(match.name) && seen.add(match.name));
}

function normalizeValueMatches(
  value: unknown,
  path: string,
  problems: Problems,
  kind: 'header' | 'query',
): NormalizedValueMatch[] {
  const items = readList(value, path, problems, { max: MAX_VALUE_MATCHES }) ?? [];
  const matches = items.map((item, i) => normalizeValueMatch(item, at(path, i), problems, kind));
  return firstOfEachName(defined(matches));
}

/**
 * Normalises one HTTPRouteMatch, reporting every problem under `path`; `undefined` when it has
 * any problem (the caller drops the rule).
 *
 * @example
 * normalizeMatch({ headers: [{ name: 'Version', value: 'v1' }] }, 'spec.rules[0].matches[0]', [])
 * // { path: { type: 'PathPrefix', value: '/' }, headers: [{ type: 'Exact', name: 'version', value: 'v1' }], queryParams: [] }
 */
export function normalizeMatch(
  value: unknown,
  path: string,
  problems: Problems,
): NormalizedMatch | undefined {
  const record = readItem(value, path, problems);
  if (!record) return undefined;
  const before = problems.length;
  const pathMatch = normalizePathMatch(get(record, 'path'), join(path, 'path'), problems);
  const headers = normalizeValueMatches(
    get(record, 'headers'),
    join(path, 'headers'),
    problems,
    'header',
  );
  const queryParams = normalizeValueMatches(
    get(record, 'queryParams'),
    join(path, 'queryParams'),
    problems,
    'query',
  );
  const method = readEnum(get(record, 'method'), join(path, 'method'), problems, METHODS);
  if (pathMatch === undefined || problems.length > before) return undefined;
  return method === undefined
    ? { path: pathMatch, headers, queryParams }
    : { path: pathMatch, headers, queryParams, method };
}
