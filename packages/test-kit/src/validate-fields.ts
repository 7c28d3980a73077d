/**
 * Small typed readers for validating parsed YAML. Each takes the value and its field path and
 * either returns the typed value or throws a `FieldError` naming the path, so that a malformed
 * case file reports `requests[3].expect.backend.port: must be an integer` and nothing vaguer.
 */

export class FieldError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(field ? `${field}: ${problem}` : problem);
    this.name = 'FieldError';
  }
}

export type Fields = Readonly<Record<string, unknown>>;

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : `${typeof value} ${JSON.stringify(value)}`;
}

export function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

export function mapping(value: unknown, path: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FieldError(path, `must be a mapping, got ${describeValue(value)}`);
  }
  return value as Fields;
}

export function list(value: unknown, path: string): readonly unknown[] {
  if (!Array.isArray(value))
    throw new FieldError(path, `must be a list, got ${describeValue(value)}`);
  return value;
}

export function string(value: unknown, path: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new FieldError(path, `must be a non-empty string, got ${describeValue(value)}`);
  }
  return value;
}

/** Header values and similar: YAML turns `3600` or `true` into scalars; they mean the text. */
export function text(value: unknown, path: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new FieldError(path, `must be a string, got ${describeValue(value)}`);
}

export function integer(
  value: unknown,
  path: string,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new FieldError(path, `must be an integer in ${min}..${max}, got ${describeValue(value)}`);
  }
  return value;
}

export function boolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean')
    throw new FieldError(path, `must be true or false, got ${describeValue(value)}`);
  return value;
}

export function oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new FieldError(path, `must be one of ${allowed.join(', ')}, got ${describeValue(value)}`);
  }
  return value as T;
}

/** `Record<string, string>` with scalar values read as text. */
export function textMap(value: unknown, path: string): Readonly<Record<string, string>> {
  const fields = mapping(value, path);
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(fields)) out[key] = text(item, join(path, key));
  return out;
}

export function stringList(value: unknown, path: string): readonly string[] {
  return list(value, path).map((item, index) => string(item, join(path, index)));
}

/**
 * Reads an optional field with `read` when present; `undefined` when absent. The spread-friendly
 * result (`{}` or `{ [key]: value }`) keeps `exactOptionalPropertyTypes` happy.
 */
export function optional<K extends string, T>(
  fields: Fields,
  key: K,
  path: string,
  read: (value: unknown, path: string) => T,
): { [P in K]?: T } {
  const value = fields[key];
  if (value === undefined || value === null) return {};
  return { [key]: read(value, join(path, key)) } as { [P in K]?: T };
}

export function required<T>(
  fields: Fields,
  key: string,
  path: string,
  read: (value: unknown, path: string) => T,
): T {
  const value = fields[key];
  if (value === undefined || value === null) throw new FieldError(join(path, key), 'is required');
  return read(value, join(path, key));
}

/** Field paths of keys not in `known`. */
export function unknownKeys(fields: Fields, known: readonly string[], path: string): string[] {
  return Object.keys(fields)
    .filter((key) => !known.includes(key))
    .map((key) => join(path, key));
}

export function objectRef(value: unknown, path: string): { namespace: string; name: string } {
  const fields = mapping(value, path);
  return {
    namespace: required(fields, 'namespace', path, string),
    name: required(fields, 'name', path, string),
  };
}
