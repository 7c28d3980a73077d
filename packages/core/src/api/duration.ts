/**
 * Gateway API `Duration` (GEP-2257): one to four components, each 1-5 decimal digits followed by
 * `h`, `m`, `s` or `ms`, in any order and possibly repeated; the value is their sum. This is the
 * CRD pattern `^([0-9]{1,5}(h|m|s|ms)){1,4}$` read as a parser, so it needs no regex.
 */

const UNIT_MS: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };
const MAX_COMPONENTS = 4;
const MAX_DIGITS = 5;

function isDigit(char: string | undefined): boolean {
  return char !== undefined && char >= '0' && char <= '9';
}

/**
 * Parses a Gateway API duration into milliseconds; `undefined` when the text is not one.
 *
 * @example
 * parseDuration('1h30m10s')        // 5_410_000
 * parseDuration('100ms200ms300ms') // 600
 * parseDuration('1.5h')            // undefined (no fractions)
 * parseDuration('1d')              // undefined (no days)
 */
export function parseDuration(text: string): number | undefined {
  if (typeof text !== 'string' || text === '') return undefined;
  let total = 0;
  let components = 0;
  let position = 0;
  while (position < text.length) {
    if (++components > MAX_COMPONENTS) return undefined;
    const start = position;
    while (isDigit(text[position])) position++;
    const digits = position - start;
    if (digits === 0 || digits > MAX_DIGITS) return undefined;
    const amount = Number(text.slice(start, position));
    // A component always starts with a digit, so `ms` can be taken greedily: `1ms` is never `1m`
    // followed by a component `s`.
    const unit = text.startsWith('ms', position) ? 'ms' : text[position];
    const factor = unit === undefined ? undefined : UNIT_MS[unit];
    if (unit === undefined || factor === undefined || !Object.hasOwn(UNIT_MS, unit))
      return undefined;
    position += unit.length;
    total += amount * factor;
  }
  return total;
}
