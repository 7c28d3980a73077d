/**
 * Comparison helpers shared by every check: header values (case-insensitive names, repeated values
 * joined with `,`, `oneOf`, `ignoreWhitespace`), absent headers, status lists and redirect
 * `Location`s. Each returns a list of problems; empty means the expectation holds.
 */
import type { HeaderValueExpectation, RedirectExpectation } from './case-types.js';
import type { ObservedHeaders } from './target.js';

/**
 * The value of a header, names compared case-insensitively, every occurrence joined with `,`
 * (RFC 9110 5.3). `undefined` when absent.
 * @example headerValue({ 'X-A': ['1', '2'], 'x-a': '3' }, 'x-a') // '1,2,3'
 */
export function headerValue(headers: ObservedHeaders, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const values: string[] = [];
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    if (typeof value === 'string') values.push(value);
    else values.push(...value);
  }
  return values.length === 0 ? undefined : values.join(',');
}

const stripSpaces = (value: string): string => value.replace(/[ \t]/g, '');

/** Whether an actual value satisfies one expected value (`oneOf`: any choice). */
export function headerMatches(
  actual: string,
  expected: HeaderValueExpectation,
  ignoreWhitespace = false,
): boolean {
  const choices = typeof expected === 'string' ? [expected] : expected.oneOf;
  const clean = ignoreWhitespace ? stripSpaces : (value: string): string => value;
  return choices.some((choice) => clean(choice) === clean(actual));
}

function show(expected: HeaderValueExpectation): string {
  return typeof expected === 'string'
    ? JSON.stringify(expected)
    : `one of ${JSON.stringify(expected.oneOf)}`;
}

/** Checks each expected header; `where` labels the problems (`upstream`, `response`). */
export function compareHeaders(
  headers: ObservedHeaders,
  expected: Readonly<Record<string, HeaderValueExpectation>>,
  where: string,
  ignoreWhitespace = false,
): string[] {
  const problems: string[] = [];
  for (const [name, want] of Object.entries(expected)) {
    const actual = headerValue(headers, name);
    if (actual === undefined)
      problems.push(`${where} header ${name}: missing, expected ${show(want)}`);
    else if (!headerMatches(actual, want, ignoreWhitespace)) {
      problems.push(
        `${where} header ${name}: got ${JSON.stringify(actual)}, expected ${show(want)}`,
      );
    }
  }
  return problems;
}

export function compareAbsentHeaders(
  headers: ObservedHeaders,
  names: readonly string[],
  where: string,
): string[] {
  return names.flatMap((name) => {
    const actual = headerValue(headers, name);
    return actual === undefined
      ? []
      : [`${where} header ${name}: must be absent, got ${JSON.stringify(actual)}`];
  });
}

/** `status` as a list of acceptable codes; `timeout: true` also accepts 408 and 504. */
export function acceptableStatuses(
  status: number | readonly number[] | undefined,
  timeout = false,
): number[] {
  const codes = status === undefined ? [] : typeof status === 'number' ? [status] : [...status];
  if (timeout) for (const code of [504, 408]) if (!codes.includes(code)) codes.push(code);
  return codes;
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { http: 80, https: 443 };

export interface ParsedLocation {
  readonly scheme: string;
  readonly hostname: string;
  /** Explicit port, or the scheme's default when the Location omits it. */
  readonly port: number | undefined;
  /** Path without query. */
  readonly path: string;
  /** Query including `?`, or ''. */
  readonly search: string;
}

/**
 * Parses a `Location` relative to the request URL (a relative Location keeps the request's
 * scheme and authority). An omitted port reads as the scheme's default.
 * @example parseLocation('https://example.org/x', 'http://gw/').port // 443
 */
export function parseLocation(location: string, requestUrl: string): ParsedLocation | undefined {
  let url: URL;
  try {
    url = new URL(location, requestUrl);
  } catch {
    return undefined;
  }
  const scheme = url.protocol.replace(/:$/, '');
  return {
    scheme,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : DEFAULT_PORTS[scheme],
    path: url.pathname,
    search: url.search,
  };
}

/** What the request looked like, as far as redirect defaults need it. */
export interface RedirectRequest {
  readonly scheme: 'http' | 'https';
  readonly host?: string;
  readonly port: number;
  readonly path: string;
}

/**
 * Compares a redirect answer with the expectation. Omitted fields: scheme = the request's;
 * path = the request's path; port = the default port of the expected scheme (the Gateway API
 * rules: a Location without port means 80 for http and 443 for https, and case files name every
 * other port); hostname and status are not checked when omitted.
 */
export function compareRedirect(
  expected: RedirectExpectation,
  status: number,
  headers: ObservedHeaders,
  request: RedirectRequest,
): string[] {
  const problems: string[] = [];
  if (status < 300 || status > 399) return [`expected a redirect, got status ${status}`];
  if (expected.status !== undefined && expected.status !== status) {
    problems.push(`redirect status: got ${status}, expected ${expected.status}`);
  }
  const location = headerValue(headers, 'location');
  if (location === undefined) return [...problems, 'redirect has no Location header'];
  // A relative Location (the gateway knew no host) resolves against the URL the client asked for.
  const authority = request.host ?? 'gateway.invalid';
  const withPort = /:\d+$/.test(authority) ? authority : `${authority}:${request.port}`;
  const requestUrl = `${request.scheme}://${withPort}${request.path}`;
  const parsed = parseLocation(location, requestUrl);
  if (!parsed) return [...problems, `unparsable Location ${JSON.stringify(location)}`];
  const scheme = expected.scheme ?? request.scheme;
  const port = expected.port ?? DEFAULT_PORTS[scheme];
  const requestPath = request.path.split('?')[0] ?? request.path;
  const path = expected.path ?? requestPath;
  const actualPath = path.includes('?') ? parsed.path + parsed.search : parsed.path;
  const mismatches: [string, unknown, unknown][] = [
    ['scheme', parsed.scheme, scheme],
    ['port', parsed.port, port],
    ['path', actualPath, path],
  ];
  if (expected.hostname !== undefined) {
    mismatches.push(['hostname', parsed.hostname, expected.hostname.toLowerCase()]);
  }
  for (const [field, got, want] of mismatches) {
    if (got !== want)
      problems.push(
        `Location ${JSON.stringify(location)}: ${field} is ${String(got)}, expected ${String(want)}`,
      );
  }
  return problems;
}
