/**
 * Validation of one request case (`requests[]` of a case file or of an update step).
 * Unknown keys are collected, not rejected: FORMAT.md asks runners to skip what they do not
 * implement, so `unknownKeys` makes the runner report the case as skipped.
 */
import type {
  BackendExpectation,
  Expectation,
  HeaderValueExpectation,
  MirrorExpectation,
  RedirectExpectation,
  RequestCase,
  RequestSpec,
  ResponseExpectation,
  UpstreamExpectation,
  WeightedBackendExpectation,
} from './case-types.js';
import {
  FieldError,
  boolean,
  integer,
  join,
  list,
  mapping,
  objectRef,
  oneOf,
  optional,
  required,
  string,
  stringList,
  text,
  textMap,
  unknownKeys,
} from './validate-fields.js';

const EXPECT_KINDS = ['backend', 'backends', 'status', 'redirect'] as const;

export function readRequestCase(value: unknown, path: string): RequestCase {
  const fields = mapping(value, path);
  const unknown = unknownKeys(fields, ['name', 'request', 'expect'], path);
  const request = required(fields, 'request', path, (v, p) => readRequest(v, p, unknown));
  const expect = required(fields, 'expect', path, (v, p) => readExpectation(v, p, unknown));
  return { ...optional(fields, 'name', path, text), request, expect, unknownKeys: unknown };
}

function readRequest(value: unknown, path: string, unknown: string[]): RequestSpec {
  const fields = mapping(value, path);
  unknown.push(
    ...unknownKeys(
      fields,
      [
        'method',
        'scheme',
        'host',
        'port',
        'path',
        'headers',
        'gateway',
        'sni',
        'protocol',
        'websocket',
      ],
      path,
    ),
  );
  const pathValue = required(fields, 'path', path, string);
  if (!pathValue.startsWith('/')) throw new FieldError(join(path, 'path'), 'must start with /');
  return {
    ...optional(fields, 'method', path, (v, p) => string(v, p).toUpperCase()),
    ...optional(fields, 'scheme', path, (v, p) => oneOf(v, p, ['http', 'https'] as const)),
    ...optional(fields, 'host', path, string),
    ...optional(fields, 'port', path, (v, p) => integer(v, p, 1, 65535)),
    path: pathValue,
    ...optional(fields, 'headers', path, readRequestHeaders),
    ...optional(fields, 'gateway', path, objectRef),
    ...optional(fields, 'sni', path, string),
    ...optional(fields, 'protocol', path, (v, p) => oneOf(v, p, ['HTTP/1.1', 'HTTP/2'] as const)),
    ...optional(fields, 'websocket', path, boolean),
  };
}

function readRequestHeaders(
  value: unknown,
  path: string,
): Record<string, string | readonly string[]> {
  const out: Record<string, string | readonly string[]> = {};
  for (const [name, item] of Object.entries(mapping(value, path))) {
    const itemPath = join(path, name);
    out[name] = Array.isArray(item)
      ? item.map((v, i) => text(v, join(itemPath, i)))
      : text(item, itemPath);
  }
  return out;
}

function readExpectation(value: unknown, path: string, unknown: string[]): Expectation {
  const fields = mapping(value, path);
  unknown.push(
    ...unknownKeys(fields, [...EXPECT_KINDS, 'upstream', 'response', 'timeout', 'mirrors'], path),
  );
  const given = EXPECT_KINDS.filter((key) => fields[key] !== undefined && fields[key] !== null);
  if (given.length !== 1) {
    throw new FieldError(
      path,
      `exactly one of ${EXPECT_KINDS.join(', ')} is required, got ${given.length ? given.join(' and ') : 'none'}`,
    );
  }
  const upstream = (v: unknown, p: string): UpstreamExpectation => readUpstream(v, p, unknown);
  return {
    ...optional(fields, 'backend', path, (v, p) => readBackend(v, p, unknown, [])),
    ...optional(fields, 'backends', path, (v, p) =>
      list(v, p).map((item, i) => readWeightedBackend(item, join(p, i), unknown)),
    ),
    ...optional(fields, 'status', path, readStatusCodes),
    ...optional(fields, 'redirect', path, (v, p) => readRedirect(v, p, unknown)),
    ...optional(fields, 'upstream', path, upstream),
    ...optional(fields, 'response', path, (v, p) => readResponse(v, p, unknown)),
    ...optional(fields, 'timeout', path, boolean),
    ...optional(fields, 'mirrors', path, (v, p) =>
      list(v, p).map((item, i) => readMirror(item, join(p, i), unknown)),
    ),
  };
}

function readStatusCodes(value: unknown, path: string): number | readonly number[] {
  if (!Array.isArray(value)) return integer(value, path, 100, 599);
  if (value.length === 0) throw new FieldError(path, 'must list at least one status code');
  return value.map((item, i) => integer(item, join(path, i), 100, 599));
}

function readBackend(
  value: unknown,
  path: string,
  unknown: string[],
  extraKeys: readonly string[],
): BackendExpectation {
  const fields = mapping(value, path);
  unknown.push(
    ...unknownKeys(fields, ['group', 'kind', 'namespace', 'name', 'port', ...extraKeys], path),
  );
  return {
    ...optional(fields, 'group', path, text),
    ...optional(fields, 'kind', path, string),
    namespace: required(fields, 'namespace', path, string),
    name: required(fields, 'name', path, string),
    ...optional(fields, 'port', path, (v, p) => integer(v, p, 1, 65535)),
  };
}

function readWeightedBackend(
  value: unknown,
  path: string,
  unknown: string[],
): WeightedBackendExpectation {
  const fields = mapping(value, path);
  return {
    ...readBackend(fields, path, unknown, ['weight', 'upstream']),
    weight: required(fields, 'weight', path, (v, p) => integer(v, p, 0, 1_000_000)),
    ...optional(fields, 'upstream', path, (v, p) => readUpstream(v, p, unknown)),
  };
}

function readMirror(value: unknown, path: string, unknown: string[]): MirrorExpectation {
  const fields = mapping(value, path);
  return {
    ...readBackend(fields, path, unknown, ['percent']),
    ...optional(fields, 'percent', path, (v, p) => integer(v, p, 0, 100)),
  };
}

function readUpstream(value: unknown, path: string, unknown: string[]): UpstreamExpectation {
  const fields = mapping(value, path);
  unknown.push(
    ...unknownKeys(fields, ['method', 'path', 'host', 'headers', 'absentHeaders'], path),
  );
  return {
    ...optional(fields, 'method', path, (v, p) => string(v, p).toUpperCase()),
    ...optional(fields, 'path', path, string),
    ...optional(fields, 'host', path, string),
    ...optional(fields, 'headers', path, textMap),
    ...optional(fields, 'absentHeaders', path, stringList),
  };
}

function readResponse(value: unknown, path: string, unknown: string[]): ResponseExpectation {
  const fields = mapping(value, path);
  unknown.push(...unknownKeys(fields, ['headers', 'absentHeaders', 'ignoreWhitespace'], path));
  return {
    ...optional(fields, 'headers', path, readHeaderExpectations),
    ...optional(fields, 'absentHeaders', path, stringList),
    ...optional(fields, 'ignoreWhitespace', path, boolean),
  };
}

function readHeaderExpectations(
  value: unknown,
  path: string,
): Record<string, HeaderValueExpectation> {
  const out: Record<string, HeaderValueExpectation> = {};
  for (const [name, item] of Object.entries(mapping(value, path))) {
    const itemPath = join(path, name);
    if (typeof item === 'object' && item !== null && !Array.isArray(item)) {
      const fields = mapping(item, itemPath);
      const extra = unknownKeys(fields, ['oneOf'], itemPath);
      if (extra.length > 0)
        throw new FieldError(extra[0] ?? itemPath, 'only `oneOf` may appear here');
      const choices = required(fields, 'oneOf', itemPath, list);
      if (choices.length === 0) throw new FieldError(join(itemPath, 'oneOf'), 'must not be empty');
      out[name] = { oneOf: choices.map((v, i) => text(v, join(join(itemPath, 'oneOf'), i))) };
    } else {
      out[name] = text(item, itemPath);
    }
  }
  return out;
}

function readRedirect(value: unknown, path: string, unknown: string[]): RedirectExpectation {
  const fields = mapping(value, path);
  unknown.push(...unknownKeys(fields, ['status', 'scheme', 'hostname', 'port', 'path'], path));
  return {
    ...optional(fields, 'status', path, (v, p) => integer(v, p, 300, 399)),
    ...optional(fields, 'scheme', path, (v, p) => string(v, p).toLowerCase()),
    ...optional(fields, 'hostname', path, string),
    ...optional(fields, 'port', path, (v, p) => integer(v, p, 1, 65535)),
    ...optional(fields, 'path', path, string),
  };
}
