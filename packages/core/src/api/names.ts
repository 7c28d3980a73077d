/**
 * The string types of the Gateway API schema (shared_types.go) as length limits plus patterns,
 * and one reader that checks them. The patterns are the CRD's, copied verbatim.
 */
import { quote, readString, report, type Problems } from './field-path.js';

export interface StringType {
  readonly min: number;
  readonly max: number;
  readonly pattern?: RegExp;
}

const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';

/** RFC 1123 subdomain: the shape of SectionName, PreciseHostname and (non-empty) Group. */
export const SUBDOMAIN_PATTERN = new RegExp(`^${LABEL}(\\.${LABEL})*$`);

/** `SectionName`: listener and rule names. */
export const SECTION_NAME: StringType = { min: 1, max: 253, pattern: SUBDOMAIN_PATTERN };
/** `Namespace`: an RFC 1123 label. */
export const NAMESPACE: StringType = { min: 1, max: 63, pattern: new RegExp(`^${LABEL}$`) };
/** `ObjectName`: any non-empty string up to 253 characters (`*` is how delegation says "all"). */
export const OBJECT_NAME: StringType = { min: 1, max: 253 };
/** `Group`: empty (the core group) or a DNS subdomain. */
export const GROUP: StringType = {
  min: 0,
  max: 253,
  pattern: new RegExp(`^$|^${LABEL}(\\.${LABEL})*$`),
};
/** `Kind`. */
export const KIND: StringType = {
  min: 1,
  max: 63,
  pattern: /^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/,
};
/** `HTTPHeaderName`: an RFC 7230 token, so no HTTP/2 pseudo-headers. */
export const HEADER_NAME: StringType = {
  min: 1,
  max: 256,
  pattern: /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/,
};
/** `ProtocolType` (G-3): a core name or a domain-prefixed implementation-specific one. */
export const PROTOCOL: StringType = {
  min: 1,
  max: 255,
  pattern: new RegExp(
    `^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$|${LABEL}(\\.${LABEL})*\\/[A-Za-z0-9]+$`,
  ),
};

/**
 * Reads a string of the given type: reports a wrong type, a length outside the limits, or a
 * value not matching the pattern (the length is checked first, so no long input reaches a regex).
 */
export function readTyped(
  value: unknown,
  path: string,
  problems: Problems,
  type: StringType,
): string | undefined {
  const before = problems.length;
  const text = readString(value, path, problems, { min: type.min, max: type.max });
  if (text === undefined || problems.length > before) return text;
  if (type.pattern && !type.pattern.test(text)) {
    report(problems, path, `invalid value ${quote(text)}: must match ${type.pattern.source}`);
  }
  return text;
}
