/**
 * Defensive readers for untrusted input. Objects come from YAML files or an API server and may be
 * garbage of any shape, so every reader checks the type, records a {@link FieldProblem} under the
 * field's full path when it is wrong, and never throws. `null` counts as omitted, as it does for
 * optional fields in Kubernetes.
 */
import type { FieldProblem } from './normalized.js';

export type Problems = FieldProblem[];
export type JsonRecord = Readonly<Record<string, unknown>>;

/** A plain object (not an array, not null). */
export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An own property of `record`, `undefined` when absent or null (never an inherited member). */
export function get(record: unknown, key: string): unknown {
  if (!isRecord(record) || !Object.hasOwn(record, key)) return undefined;
  const value = record[key];
  return value === null ? undefined : value;
}

/** True when `record` has the field set (present and not null). */
export function has(record: unknown, key: string): boolean {
  return get(record, key) !== undefined;
}

/** `spec` + `rules` → `spec.rules`. */
export function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** `spec.rules` + 2 → `spec.rules[2]`. */
export function at(path: string, index: number): string {
  return `${path}[${index}]`;
}

/** A value quoted for a message, shortened so that a huge input cannot make a huge message. */
export function quote(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value));
  } catch {
    text = typeof value;
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function report(problems: Problems, path: string, message: string): void {
  problems.push({ path, message });
}

/** Reports a missing required field; true when the value is present. */
export function requireValue(value: unknown, path: string, problems: Problems): boolean {
  if (value !== undefined) return true;
  report(problems, path, 'is required');
  return false;
}

/** A list item or required nested object: absent is reported like any other non-object. */
export function readItem(value: unknown, path: string, problems: Problems): JsonRecord | undefined {
  if (isRecord(value)) return value;
  report(problems, path, 'must be an object');
  return undefined;
}

/** Runs `read` on a required value, reporting it when absent. */
export function readRequired<T>(
  value: unknown,
  path: string,
  problems: Problems,
  read: (value: unknown) => T | undefined,
): T | undefined {
  return requireValue(value, path, problems) ? read(value) : undefined;
}

export function readRecord(
  value: unknown,
  path: string,
  problems: Problems,
): JsonRecord | undefined {
  if (value === undefined || value === null) return undefined;
  if (isRecord(value)) return value;
  report(problems, path, 'must be an object');
  return undefined;
}

export interface Limits {
  readonly min?: number;
  readonly max?: number;
}

export function readList(
  value: unknown,
  path: string,
  problems: Problems,
  limits: Limits = {},
): readonly unknown[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) {
    report(problems, path, 'must be a list');
    return undefined;
  }
  if (limits.max !== undefined && value.length > limits.max) {
    report(problems, path, `must have at most ${limits.max} items`);
    // The list is invalid already; reading past the limit would only add work and noise.
    return Array.from((value as unknown[]).slice(0, limits.max));
  }
  if (limits.min !== undefined && value.length < limits.min) {
    report(problems, path, `must have at least ${limits.min} item${limits.min === 1 ? '' : 's'}`);
  }
  // Array.from turns holes of sparse arrays into undefined, which item readers report.
  return Array.from(value as unknown[]);
}

/** A string whose length (in characters) lies within `limits`. */
export function readString(
  value: unknown,
  path: string,
  problems: Problems,
  limits: Limits = {},
): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    report(problems, path, 'must be a string');
    return undefined;
  }
  if (limits.min !== undefined && value.length < limits.min) {
    report(
      problems,
      path,
      limits.min === 1 ? 'must not be empty' : `must be at least ${limits.min} characters`,
    );
  } else if (limits.max !== undefined && value.length > limits.max) {
    report(problems, path, `must be at most ${limits.max} characters`);
  }
  return value;
}

export function readInteger(
  value: unknown,
  path: string,
  problems: Problems,
  limits: Limits = {},
): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    report(problems, path, 'must be an integer');
    return undefined;
  }
  const { min, max } = limits;
  if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
    const range =
      min !== undefined && max !== undefined
        ? `between ${min} and ${max}`
        : min !== undefined
          ? `at least ${min}`
          : `at most ${String(max)}`;
    report(problems, path, `must be ${range}`);
  }
  return value;
}

export function readBoolean(value: unknown, path: string, problems: Problems): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  report(problems, path, 'must be a boolean');
  return undefined;
}

/** One of `allowed`; anything else is reported with the list of supported values. */
export function readEnum<T extends string | number>(
  value: unknown,
  path: string,
  problems: Problems,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined || value === null) return undefined;
  if ((allowed as readonly unknown[]).includes(value)) return value as T;
  report(problems, path, unsupportedValue(value, allowed));
  return undefined;
}

/** The Kubernetes wording for an enum violation. */
export function unsupportedValue(value: unknown, allowed: readonly (string | number)[]): string {
  const supported = allowed.map((item) => (typeof item === 'string' ? `"${item}"` : String(item)));
  return `Unsupported value: ${quote(value)}: supported values: ${supported.join(', ')}`;
}

/**
 * A `map[string]string` (labels, annotations, data). Entries whose value is not a string are
 * reported and left out; the result is built with `Object.fromEntries` so that a key such as
 * `__proto__` stays an ordinary entry.
 */
export function readStringMap(
  value: unknown,
  path: string,
  problems: Problems,
): Readonly<Record<string, string>> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) {
    report(problems, path, 'must be a map of strings');
    return undefined;
  }
  const entries: [string, string][] = [];
  for (const key of Object.keys(value).sort()) {
    const item = value[key];
    if (typeof item === 'string') entries.push([key, item]);
    else report(problems, `${path}[${quote(key)}]`, 'must be a string');
  }
  return Object.fromEntries(entries);
}

/** Drops the `undefined` entries a reader left for items it reported. */
export function defined<T>(items: readonly (T | undefined)[]): T[] {
  return items.filter((item): item is T => item !== undefined);
}
