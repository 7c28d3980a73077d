/**
 * A canonical serialisation (object keys sorted) used to choose among duplicate objects
 * independently of input order. Total over JavaScript values; never throws.
 */

function serialise(value: unknown, ancestors: Set<object>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'boolean':
      return String(value);
    case 'bigint':
      return `${value}n`;
    case 'object':
      break;
    default:
      return typeof value; // undefined, function, symbol
  }
  if (ancestors.has(value)) return '"[cycle]"';
  if (value instanceof Date) return `Date(${String(value.getTime())})`;
  ancestors.add(value);
  const text = Array.isArray(value)
    ? `[${Array.from(value as unknown[], (item) => serialise(item, ancestors)).join(',')}]`
    : `{${Object.keys(value)
        .sort()
        .map(
          (key) =>
            `${JSON.stringify(key)}:${serialise((value as Record<string, unknown>)[key], ancestors)}`,
        )
        .join(',')}}`;
  ancestors.delete(value);
  return text;
}

/** @example stableJson({ b: 1, a: [true] }) // '{"a":[true],"b":1}' */
export function stableJson(value: unknown): string {
  try {
    return serialise(value, new Set());
  } catch {
    return ''; // too deep to serialise: duplicates then fall back to input order
  }
}
