/**
 * Hostname validation (spec 1.2): `Hostname` allows one leading `*.` label, `PreciseHostname`
 * does not; both are lower-case RFC 1123 names of 1-253 characters, with no IP addresses by
 * intent, no trailing dot and no port.
 */
import { quote, readString, report, type Problems } from './field-path.js';
import { SUBDOMAIN_PATTERN } from './names.js';

export const HOSTNAME_PATTERN =
  /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const PRECISE_HOSTNAME_PATTERN = SUBDOMAIN_PATTERN;

/** True when `text` is a valid `Hostname` (`wildcard`) or `PreciseHostname`. */
export function isValidHostname(text: string, wildcard: boolean): boolean {
  if (text.length < 1 || text.length > 253) return false;
  return (wildcard ? HOSTNAME_PATTERN : PRECISE_HOSTNAME_PATTERN).test(text);
}

/**
 * Reads a hostname, lower-cased before it is checked: host matching is case-insensitive, so
 * `Example.COM` is accepted as `example.com` rather than rejected as the API server would.
 *
 * @example readHostname('*.Example.com', 'spec.hostnames[0]', problems, true) // '*.example.com'
 */
export function readHostname(
  value: unknown,
  path: string,
  problems: Problems,
  wildcard: boolean,
): string | undefined {
  const text = readString(value, path, problems)?.toLowerCase();
  if (text === undefined) return undefined;
  if (!isValidHostname(text, wildcard)) {
    const shape = wildcard
      ? 'a lower-case RFC 1123 hostname, optionally with a leading "*." label'
      : 'a lower-case RFC 1123 hostname without wildcard';
    report(problems, path, `invalid hostname ${quote(text)}: must be ${shape}, 1-253 characters`);
  }
  return text;
}
