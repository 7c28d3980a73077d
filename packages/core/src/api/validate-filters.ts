/**
 * HTTPRouteFilter lists, on rules and on backendRefs alike: the union rules C-25/C-26, the list
 * rules C-19..C-24, and dispatch to the per-type readers. ExtensionRef filters are kept as
 * references; `compile` decides what they mean.
 */
import {
  at,
  defined,
  get,
  has,
  join,
  readItem,
  readList,
  report,
  unsupportedValue,
  type Problems,
} from './field-path.js';
import type { NormalizedFilter } from './normalized.js';
import type { HTTPRouteFilterType } from './objects.js';
import {
  normalizeExtensionRef,
  normalizeHeaderModifier,
  normalizeRedirect,
  normalizeRewrite,
} from './validate-filter-configs.js';
import { normalizeCors, normalizeMirror } from './validate-mirror-cors.js';

const MAX_FILTERS = 16;

/** Each filter type and the field that carries its configuration. */
const CONFIG_FIELD: Readonly<Record<HTTPRouteFilterType, string>> = {
  RequestHeaderModifier: 'requestHeaderModifier',
  ResponseHeaderModifier: 'responseHeaderModifier',
  RequestMirror: 'requestMirror',
  RequestRedirect: 'requestRedirect',
  URLRewrite: 'urlRewrite',
  ExtensionRef: 'extensionRef',
  CORS: 'cors',
};
export const FILTER_TYPES = Object.keys(CONFIG_FIELD) as HTTPRouteFilterType[];

/** The filters that may appear at most once in a list (C-20..C-24), in upstream's order. */
const NOT_REPEATABLE: readonly HTTPRouteFilterType[] = [
  'CORS',
  'RequestHeaderModifier',
  'ResponseHeaderModifier',
  'RequestRedirect',
  'URLRewrite',
];

function isFilterType(value: unknown): value is HTTPRouteFilterType {
  return typeof value === 'string' && Object.hasOwn(CONFIG_FIELD, value);
}

function normalizeConfig(
  type: HTTPRouteFilterType,
  value: unknown,
  path: string,
  problems: Problems,
  namespace: string,
): NormalizedFilter | undefined {
  switch (type) {
    case 'RequestHeaderModifier':
    case 'ResponseHeaderModifier': {
      const modifier = normalizeHeaderModifier(value, path, problems);
      return modifier && { type, modifier };
    }
    case 'RequestRedirect': {
      const redirect = normalizeRedirect(value, path, problems);
      return redirect && { type, redirect };
    }
    case 'URLRewrite': {
      const rewrite = normalizeRewrite(value, path, problems);
      return rewrite && { type, rewrite };
    }
    case 'RequestMirror': {
      const mirror = normalizeMirror(value, path, problems, namespace);
      return mirror && { type, mirror };
    }
    case 'CORS': {
      const cors = normalizeCors(value, path, problems);
      return cors && { type, cors };
    }
    case 'ExtensionRef': {
      const ref = normalizeExtensionRef(value, path, problems);
      return ref && { type, ref };
    }
  }
}

/**
 * One HTTPRouteFilter. `namespace` is the route's, the default for a mirror's backendRef.
 *
 * @example
 * normalizeFilter({ type: 'RequestRedirect', requestRedirect: { scheme: 'https' } }, 'spec.rules[0].filters[0]', [], 'apps')
 * // { type: 'RequestRedirect', redirect: { statusCode: 302, scheme: 'https' } }
 */
export function normalizeFilter(
  value: unknown,
  path: string,
  problems: Problems,
  namespace: string,
): NormalizedFilter | undefined {
  const record = readItem(value, path, problems);
  if (!record) return undefined;
  const rawType = get(record, 'type');
  // C-25: a configuration field that does not belong to the filter's type.
  for (const [type, field] of Object.entries(CONFIG_FIELD)) {
    if (has(record, field) && rawType !== type) {
      report(
        problems,
        join(path, field),
        `filter.${field} must be nil if the filter.type is not ${type}`,
      );
    }
  }
  const typePath = join(path, 'type');
  if (rawType === undefined) {
    report(problems, typePath, 'is required');
    return undefined;
  }
  if (!isFilterType(rawType)) {
    report(problems, typePath, unsupportedValue(rawType, FILTER_TYPES));
    return undefined;
  }
  const field = CONFIG_FIELD[rawType];
  const config = get(record, field);
  if (config === undefined) {
    // C-26: the configuration the type names is missing.
    report(
      problems,
      join(path, field),
      `filter.${field} must be specified for ${rawType} filter.type`,
    );
    return undefined;
  }
  return normalizeConfig(rawType, config, join(path, field), problems, namespace);
}

/** C-19..C-24, evaluated on the authored `type` of each entry. */
function checkFilterList(items: readonly unknown[], path: string, problems: Problems): void {
  // Most lists are empty or hold one filter: nothing can conflict or repeat.
  if (items.length < 2) return;
  const types = items.map((item) => get(item, 'type'));
  const count = (type: HTTPRouteFilterType): number => types.filter((t) => t === type).length;
  if (count('RequestRedirect') > 0 && count('URLRewrite') > 0) {
    report(
      problems,
      path,
      'May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both',
    );
  }
  for (const type of NOT_REPEATABLE) {
    if (count(type) > 1) report(problems, path, `${type} filter cannot be repeated`);
  }
}

/** A `filters` list of a rule or of a backendRef (at most 16 entries). */
export function normalizeFilters(
  value: unknown,
  path: string,
  problems: Problems,
  namespace: string,
): NormalizedFilter[] {
  const items = readList(value, path, problems, { max: MAX_FILTERS }) ?? [];
  const filters = items.map((item, i) => normalizeFilter(item, at(path, i), problems, namespace));
  checkFilterList(items, path, problems);
  return defined(filters);
}
