/**
 * Validation of a whole case file: top-level keys, status entries, listener statuses and update
 * steps. Request cases are read by `validate-request.ts`.
 */
import type {
  CaseFile,
  ConditionExpectation,
  DeleteRef,
  ListenerStatusExpectation,
  StatusExpectation,
  UpdateStep,
} from './case-types.js';
import { readRequestCase } from './validate-request.js';
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
  unknownKeys,
} from './validate-fields.js';
import type { Fields } from './validate-fields.js';

const TOP_LEVEL_KEYS = [
  'name',
  'description',
  'features',
  'level',
  'provisional',
  'options',
  'gateway',
  'objects',
  'requests',
  'statuses',
  'listenerStatuses',
  'updates',
];

/**
 * Validates parsed YAML as a case file. Throws `FieldError` naming the first bad field.
 * `file` and `relativePath` are only recorded, never read.
 */
export function readCaseFile(value: unknown, file: string, relativePath: string): CaseFile {
  const fields = mapping(value, '');
  const name = required(fields, 'name', '', string);
  if (!/^[A-Z][A-Za-z0-9]*$/.test(name)) throw new FieldError('name', 'must be CamelCase');
  return {
    file,
    relativePath,
    name,
    description: required(fields, 'description', '', text),
    features: required(fields, 'features', '', stringList),
    level:
      fields['level'] == null
        ? 'core'
        : oneOf(fields['level'], 'level', ['core', 'extended', 'implementation'] as const),
    provisional:
      fields['provisional'] == null ? false : boolean(fields['provisional'], 'provisional'),
    options: fields['options'] == null ? {} : mapping(fields['options'], 'options'),
    ...optional(fields, 'gateway', '', objectRef),
    objects: required(fields, 'objects', '', readObjects),
    requests: readEach(fields, 'requests', '', readRequestCase),
    statuses: readEach(fields, 'statuses', '', readStatus),
    listenerStatuses: readEach(fields, 'listenerStatuses', '', readListenerStatus),
    updates: readEach(fields, 'updates', '', readUpdate),
    unknownKeys: unknownKeys(fields, TOP_LEVEL_KEYS, ''),
  };
}

function readEach<T>(
  fields: Fields,
  key: string,
  path: string,
  read: (value: unknown, path: string) => T,
): T[] {
  const value = fields[key];
  if (value === undefined || value === null) return [];
  const itemsPath = join(path, key);
  return list(value, itemsPath).map((item, index) => read(item, join(itemsPath, index)));
}

function readObjects(value: unknown, path: string): Fields[] {
  return list(value, path).map((item, index) => {
    const itemPath = join(path, index);
    const object = mapping(item, itemPath);
    required(object, 'kind', itemPath, string);
    required(
      mapping(required(object, 'metadata', itemPath, mapping), join(itemPath, 'metadata')),
      'name',
      join(itemPath, 'metadata'),
      string,
    );
    return object;
  });
}

function readConditions(value: unknown, path: string, unknown: string[]): ConditionExpectation[] {
  return list(value, path).map((item, index) => {
    const itemPath = join(path, index);
    const fields = mapping(item, itemPath);
    unknown.push(...unknownKeys(fields, ['type', 'status', 'reason'], itemPath));
    return {
      type: required(fields, 'type', itemPath, string),
      status: required(fields, 'status', itemPath, (v, p) =>
        oneOf(v, p, ['True', 'False', 'Unknown'] as const),
      ),
      ...optional(fields, 'reason', itemPath, string),
    };
  });
}

function readStatus(value: unknown, path: string): StatusExpectation {
  const fields = mapping(value, path);
  const unknown = unknownKeys(
    fields,
    ['route', 'parent', 'conditions', 'messageContains', 'absent', 'observedGeneration'],
    path,
  );
  const route = required(fields, 'route', path, string);
  if (!/^[^/]+\/[^/]+$/.test(route))
    throw new FieldError(join(path, 'route'), 'must be namespace/name');
  const parent = required(fields, 'parent', path, (v, p) => {
    const parentFields = mapping(v, p);
    unknown.push(...unknownKeys(parentFields, ['group', 'kind', 'namespace', 'name'], p));
    return {
      ...optional(parentFields, 'group', p, text),
      ...optional(parentFields, 'kind', p, string),
      ...optional(parentFields, 'namespace', p, string),
      name: required(parentFields, 'name', p, string),
    };
  });
  const status: StatusExpectation = {
    route,
    parent,
    ...optional(fields, 'conditions', path, (v, p) => readConditions(v, p, unknown)),
    ...optional(fields, 'messageContains', path, string),
    ...optional(fields, 'absent', path, boolean),
    ...optional(fields, 'observedGeneration', path, (v, p) => integer(v, p, 1)),
    unknownKeys: unknown,
  };
  if (
    !status.absent &&
    !status.conditions &&
    status.observedGeneration === undefined &&
    !status.messageContains
  ) {
    throw new FieldError(
      path,
      'needs conditions, observedGeneration, messageContains or absent: true',
    );
  }
  return status;
}

function readListenerStatus(value: unknown, path: string): ListenerStatusExpectation {
  const fields = mapping(value, path);
  const unknown = unknownKeys(
    fields,
    ['gateway', 'listener', 'attachedRoutes', 'supportedKinds', 'conditions'],
    path,
  );
  return {
    gateway: required(fields, 'gateway', path, objectRef),
    listener: required(fields, 'listener', path, string),
    ...optional(fields, 'attachedRoutes', path, (v, p) => integer(v, p)),
    ...optional(fields, 'supportedKinds', path, stringList),
    ...optional(fields, 'conditions', path, (v, p) => readConditions(v, p, unknown)),
    unknownKeys: unknown,
  };
}

function readDelete(value: unknown, path: string): DeleteRef {
  const fields = mapping(value, path);
  const extra = unknownKeys(fields, ['kind', 'namespace', 'name'], path);
  if (extra.length > 0) throw new FieldError(extra[0] ?? path, 'unknown key in a delete reference');
  return {
    kind: required(fields, 'kind', path, string),
    ...optional(fields, 'namespace', path, string),
    name: required(fields, 'name', path, string),
  };
}

function readUpdate(value: unknown, path: string): UpdateStep {
  const fields = mapping(value, path);
  const step: UpdateStep = {
    apply: fields['apply'] == null ? [] : readObjects(fields['apply'], join(path, 'apply')),
    delete: readEach(fields, 'delete', path, readDelete),
    requests: readEach(fields, 'requests', path, readRequestCase),
    statuses: readEach(fields, 'statuses', path, readStatus),
    listenerStatuses: readEach(fields, 'listenerStatuses', path, readListenerStatus),
    unknownKeys: unknownKeys(
      fields,
      ['apply', 'delete', 'requests', 'statuses', 'listenerStatuses'],
      path,
    ),
  };
  if (step.apply.length === 0 && step.delete.length === 0) {
    throw new FieldError(path, 'an update step needs apply or delete');
  }
  return step;
}
