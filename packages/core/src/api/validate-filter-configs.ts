/**
 * Filter configurations: header modifiers (with our decision 6), redirect and rewrite
 * (PreciseHostname, path modifier C-29..C-32, D-7 status code) and ExtensionRef. Each reader gets
 * the configuration's own path, e.g. `spec.rules[0].filters[1].requestRedirect`.
 */
import { hasForbiddenValueCharacter, isProtectedHeaderName } from './protected-headers.js';
import {
  at,
  defined,
  get,
  has,
  join,
  quote,
  readEnum,
  readInteger,
  readItem,
  readList,
  readRequired,
  readString,
  report,
  type Problems,
} from './field-path.js';
import { readHostname } from './hostname.js';
import { GROUP, HEADER_NAME, KIND, OBJECT_NAME, readTyped } from './names.js';
import type {
  HeaderModifier,
  NormalizedRedirect,
  NormalizedRewrite,
  PathModifier,
} from './normalized.js';

const MAX_MODIFIER_ITEMS = 16;
const MAX_HEADER_VALUE = 4096;
const MAX_REPLACEMENT = 1024;
const REDIRECT_CODES: readonly NormalizedRedirect['statusCode'][] = [301, 302, 303, 307, 308];
const SCHEMES: readonly ('http' | 'https')[] = ['http', 'https'];
const PATH_MODIFIER_TYPES: readonly PathModifier['type'][] = [
  'ReplaceFullPath',
  'ReplacePrefixMatch',
];

type Header = { readonly name: string; readonly value: string };

function normalizeHeaders(value: unknown, path: string, problems: Problems): Header[] {
  const items = readList(value, path, problems, { max: MAX_MODIFIER_ITEMS }) ?? [];
  const headers = items.map((item, i): Header | undefined => {
    const itemPath = at(path, i);
    const record = readItem(item, itemPath, problems);
    if (!record) return undefined;
    const namePath = join(itemPath, 'name');
    const valuePath = join(itemPath, 'value');
    const name = readRequired(get(record, 'name'), namePath, problems, (v) =>
      readTyped(v, namePath, problems, HEADER_NAME),
    );
    const text = readRequired(get(record, 'value'), valuePath, problems, (v) =>
      readString(v, valuePath, problems, { min: 1, max: MAX_HEADER_VALUE }),
    );
    if (text !== undefined && hasForbiddenValueCharacter(text)) {
      report(
        problems,
        valuePath,
        'must not contain CR, LF or NUL (decision 19): they would end the header line; remove them',
      );
      return undefined;
    }
    return name === undefined || text === undefined ? undefined : { name, value: text };
  });
  return defined(headers);
}

/**
 * Our decision 6: a header name (compared case-insensitively) may appear only once across
 * `set`, `add` and `remove`; otherwise the outcome would depend on the order they are applied in.
 */
function checkHeaderNamesOnce(modifier: HeaderModifier, path: string, problems: Problems): void {
  const places = new Map<string, string[]>();
  const note = (name: string, place: string): void => {
    const key = name.toLowerCase();
    places.set(key, [...(places.get(key) ?? []), place]);
  };
  modifier.set.forEach((header, i) => note(header.name, `set[${i}]`));
  modifier.add.forEach((header, i) => note(header.name, `add[${i}]`));
  modifier.remove.forEach((name, i) => note(name, `remove[${i}]`));
  for (const [name, found] of places) {
    if (found.length < 2) continue;
    report(
      problems,
      path,
      `header name ${quote(name)} must appear only once across set, add and remove (found in ${found.join(', ')})`,
    );
  }
}

/** Decision 19: framing, hop-by-hop and gateway headers are out of reach of every modifier. */
function checkProtectedNames(modifier: HeaderModifier, path: string, problems: Problems): void {
  const check = (name: string, place: string): void => {
    if (!isProtectedHeaderName(name)) return;
    report(
      problems,
      join(path, place),
      `header ${quote(name)} cannot be set, added or removed by a header modifier (decision 19: hop-by-hop, framing and x-switchyard-* headers belong to the gateway); remove this entry`,
    );
  };
  modifier.set.forEach((header, i) => check(header.name, `set[${i}].name`));
  modifier.add.forEach((header, i) => check(header.name, `add[${i}].name`));
  modifier.remove.forEach((name, i) => check(name, `remove[${i}]`));
}

export function normalizeHeaderModifier(
  value: unknown,
  path: string,
  problems: Problems,
): HeaderModifier | undefined {
  const record = readItem(value, path, problems);
  if (!record) return undefined;
  const before = problems.length;
  const set = normalizeHeaders(get(record, 'set'), join(path, 'set'), problems);
  const add = normalizeHeaders(get(record, 'add'), join(path, 'add'), problems);
  const removePath = join(path, 'remove');
  const removeItems = readList(get(record, 'remove'), removePath, problems, {
    max: MAX_MODIFIER_ITEMS,
  });
  const remove = defined(
    (removeItems ?? []).map((item, i) =>
      readRequired(item, at(removePath, i), problems, (v) =>
        readTyped(v, at(removePath, i), problems, HEADER_NAME),
      ),
    ),
  );
  const modifier = { set, add, remove };
  checkHeaderNamesOnce(modifier, path, problems);
  checkProtectedNames(modifier, path, problems);
  return problems.length > before ? undefined : modifier;
}

/** HTTPPathModifier with C-29..C-32; `value` is whichever replacement the type names. */
function normalizePathModifier(
  value: unknown,
  path: string,
  problems: Problems,
): PathModifier | undefined {
  const record = readItem(value, path, problems);
  if (!record) return undefined;
  const before = problems.length;
  const typePath = join(path, 'type');
  const type = readRequired(get(record, 'type'), typePath, problems, (v) =>
    readEnum(v, typePath, problems, PATH_MODIFIER_TYPES),
  );
  const limits = { max: MAX_REPLACEMENT };
  const full = readString(
    get(record, 'replaceFullPath'),
    join(path, 'replaceFullPath'),
    problems,
    limits,
  );
  const prefix = readString(
    get(record, 'replacePrefixMatch'),
    join(path, 'replacePrefixMatch'),
    problems,
    limits,
  );
  const hasFull = has(record, 'replaceFullPath');
  const hasPrefix = has(record, 'replacePrefixMatch');
  if (type === 'ReplaceFullPath' && !hasFull) {
    report(
      problems,
      path,
      "replaceFullPath must be specified when type is set to 'ReplaceFullPath'",
    );
  }
  if (hasFull && type !== 'ReplaceFullPath') {
    report(problems, path, "type must be 'ReplaceFullPath' when replaceFullPath is set");
  }
  if (type === 'ReplacePrefixMatch' && !hasPrefix) {
    report(
      problems,
      path,
      "replacePrefixMatch must be specified when type is set to 'ReplacePrefixMatch'",
    );
  }
  if (hasPrefix && type !== 'ReplacePrefixMatch') {
    report(problems, path, "type must be 'ReplacePrefixMatch' when replacePrefixMatch is set");
  }
  const replacement = type === 'ReplaceFullPath' ? full : prefix;
  if (type === undefined || replacement === undefined || problems.length > before) return undefined;
  return { type, value: replacement };
}

export function normalizeRedirect(
  value: unknown,
  path: string,
  problems: Problems,
): NormalizedRedirect | undefined {
  const record = readItem(value, path, problems);
  if (!record) return undefined;
  const before = problems.length;
  const scheme = readEnum(get(record, 'scheme'), join(path, 'scheme'), problems, SCHEMES);
  const hostname = readHostname(get(record, 'hostname'), join(path, 'hostname'), problems, false);
  const pathValue = get(record, 'path');
  const modifier =
    pathValue === undefined
      ? undefined
      : normalizePathModifier(pathValue, join(path, 'path'), problems);
  const port = readInteger(get(record, 'port'), join(path, 'port'), problems, {
    min: 1,
    max: 65_535,
  });
  const statusCode =
    readEnum(get(record, 'statusCode'), join(path, 'statusCode'), problems, REDIRECT_CODES) ?? 302;
  if (problems.length > before) return undefined;
  return {
    statusCode,
    ...(scheme === undefined ? {} : { scheme }),
    ...(hostname === undefined ? {} : { hostname }),
    ...(port === undefined ? {} : { port }),
    ...(modifier === undefined ? {} : { path: modifier }),
  };
}

export function normalizeRewrite(
  value: unknown,
  path: string,
  problems: Problems,
): NormalizedRewrite | undefined {
  const record = readItem(value, path, problems);
  if (!record) return undefined;
  const before = problems.length;
  const hostname = readHostname(get(record, 'hostname'), join(path, 'hostname'), problems, false);
  const pathValue = get(record, 'path');
  const modifier =
    pathValue === undefined
      ? undefined
      : normalizePathModifier(pathValue, join(path, 'path'), problems);
  if (problems.length > before) return undefined;
  return {
    ...(hostname === undefined ? {} : { hostname }),
    ...(modifier === undefined ? {} : { path: modifier }),
  };
}

/** LocalObjectReference: `group` is required but may be '' (the core group). */
export function normalizeExtensionRef(
  value: unknown,
  path: string,
  problems: Problems,
): { group: string; kind: string; name: string } | undefined {
  const record = readItem(value, path, problems);
  if (!record) return undefined;
  const before = problems.length;
  const field = <T>(key: string, read: (v: unknown, p: string) => T | undefined): T | undefined => {
    const fieldPath = join(path, key);
    return readRequired(get(record, key), fieldPath, problems, (v) => read(v, fieldPath));
  };
  const group = field('group', (v, p) => readTyped(v, p, problems, GROUP));
  const kind = field('kind', (v, p) => readTyped(v, p, problems, KIND));
  const name = field('name', (v, p) => readTyped(v, p, problems, OBJECT_NAME));
  if (group === undefined || kind === undefined || name === undefined) return undefined;
  return problems.length > before ? undefined : { group, kind, name };
}
