/**
 * The parts of a request that matching reads, computed lazily: most requests are decided by path
 * and method alone, so header and query maps are built only when a candidate asks for them.
 */
import type { ResolveRequest } from '../decision.js';
import { DEFAULT_MAX_HEADER_VALUE_LENGTH } from '../table.js';
import { parseQuery } from './query.js';

type RequestHeaders = ResolveRequest['headers'];

/**
 * A header's value by case-insensitive name, repeated values joined with `,` (decision 12).
 *
 * @example
 * ```ts
 * headerValue({ 'X-A': ['1', '2'], 'x-a': '3' }, 'x-a'); // '1,2,3'
 * ```
 */
export function headerValue(headers: RequestHeaders, name: string): string | undefined {
  if (headers === undefined) return undefined;
  const lower = name.toLowerCase();
  let joined: string | undefined;
  for (const key in headers) {
    if (key.length !== lower.length || key.toLowerCase() !== lower) continue;
    const value = joinValue(headers[key]);
    if (value !== undefined) joined = joined === undefined ? value : `${joined},${value}`;
  }
  return joined;
}

function joinValue(value: string | readonly string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value.join(',');
}

/** One request, ready for matching: path normalised, headers and query on demand. */
export class RequestView {
  private headerMap: Map<string, string> | undefined;
  private headerLookups = 0;
  private queryMap: Map<string, string> | undefined;
  /**
   * Rule 26: the first header a RegularExpression match met with a value longer than
   * `maxRegexValueLength`. The regex was not run; `resolve` answers 431 once the lookup is over.
   */
  overlongHeader: string | undefined;

  constructor(
    readonly method: string,
    /** Normalised, without query. */
    readonly path: string,
    /** Raw query without `?`, undefined when absent. */
    readonly query: string | undefined,
    private readonly headers: RequestHeaders,
    /** Longest header value a regex reads (`TableLimits.maxHeaderValueLength`). */
    readonly maxRegexValueLength: number = DEFAULT_MAX_HEADER_VALUE_LENGTH,
  ) {}

  /** The value of a header (name in lower case), joined as {@link headerValue} does. */
  header(lowerName: string): string | undefined {
    if (this.headerMap === undefined) {
      // A request usually meets one or two header matches: scanning the few headers it carries
      // is cheaper than lower-casing them all into a map. Many lookups pay for the map.
      if (this.headerLookups < 2) {
        this.headerLookups++;
        return scanHeaders(this.headers, lowerName);
      }
      this.headerMap = buildHeaderMap(this.headers);
    }
    return this.headerMap.get(lowerName);
  }

  /** The first value of a query parameter (name case-sensitive). */
  queryParam(name: string): string | undefined {
    if (this.queryMap === undefined) this.queryMap = parseQuery(this.query ?? '');
    return this.queryMap.get(name);
  }
}

/** {@link headerValue} for a name already in lower case. */
function scanHeaders(headers: RequestHeaders, lower: string): string | undefined {
  if (headers === undefined) return undefined;
  let joined: string | undefined;
  for (const key in headers) {
    if (key.length !== lower.length || (key !== lower && key.toLowerCase() !== lower)) continue;
    const value = joinValue(headers[key]);
    if (value !== undefined) joined = joined === undefined ? value : `${joined},${value}`;
  }
  return joined;
}

function buildHeaderMap(headers: RequestHeaders): Map<string, string> {
  const map = new Map<string, string>();
  if (headers === undefined) return map;
  for (const key in headers) {
    const value = joinValue(headers[key]);
    if (value === undefined) continue;
    const name = key.toLowerCase();
    const previous = map.get(name);
    map.set(name, previous === undefined ? value : `${previous},${value}`);
  }
  return map;
}
