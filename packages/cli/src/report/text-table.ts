/**
 * Columns padded to their widest cell, two spaces apart, no trailing spaces: readable in a
 * terminal and stable in snapshots.
 *
 * @example
 * ```ts
 * textTable([['ROUTE', 'PARENT'], ['banking/accounts', 'HTTPRoute kgateway-system/api']]);
 * // ROUTE             PARENT
 * // banking/accounts  HTTPRoute kgateway-system/api
 * ```
 */
export function textTable(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
