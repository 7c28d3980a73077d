/**
 * `check -n NS`: one team's verdict. Everything given is compiled together (a child is only
 * Accepted under a parent that is among the files), but the verdict, the exit code and the
 * annotations count only what the team owns: its routes, its objects' diagnostics and the
 * findings its objects cause. Nothing another team writes can change that part of the report
 * (delegation.md rule 27):
 *
 * - a route's status under a parent that a finding names as reaching it (`Finding.reached`) is
 *   the finding's doing, reported on the parent's file, and left out;
 * - findings are kept by the namespace of the object that causes them, never by `affects`;
 * - Gateways are kept by their own namespace (their attached-route counts move with every team);
 * - an object the owners file refuses is kept by the namespaces of the folder that wrote it, never
 *   by the namespace it claims (banking's file declaring a payments route fails banking).
 */
import { verdict, type CheckReport, type CheckRow, type LocatedFinding } from './check-report.js';

/**
 * The part of `report` that belongs to `namespaces`, with its own verdict.
 *
 * @example
 * ```ts
 * const report = scopeReport(checkReport(compiled), ['payments']);
 * process.exitCode = report.ok ? 0 : 1;
 * ```
 */
export function scopeReport(report: CheckReport, namespaces: readonly string[]): CheckReport {
  const owned = new Set(namespaces);
  const reached = reachedBy(report.findings);
  const scoped = {
    rows: report.rows.filter(
      (row) => owned.has(row.route.namespace) && !reached.has(reachKey(row)),
    ),
    gateways: report.gateways.filter((g) => owned.has(g.namespace)),
    diagnostics: report.diagnostics.filter(
      (d) => d.namespace !== undefined && owned.has(d.namespace),
    ),
    findings: report.findings.filter((f) => owned.has(f.object.namespace)),
    refusals: report.refusals.filter((r) => r.offenders.some((ns) => owned.has(ns))),
  };
  return { ok: verdict(scoped), ...scoped };
}

/** `parent-namespace/parent-name > route-namespace/route-name` for every route a finding reached. */
function reachedBy(findings: readonly LocatedFinding[]): Set<string> {
  const keys = new Set<string>();
  for (const finding of findings) {
    if (finding.object.kind !== 'HTTPRoute') continue;
    for (const route of finding.reached ?? []) {
      if (route.kind !== 'HTTPRoute') continue;
      const parent = `${finding.object.namespace}/${finding.object.name}`;
      keys.add(`${parent} > ${route.namespace}/${route.name}`);
    }
  }
  return keys;
}

function reachKey(row: CheckRow): string {
  if (row.parent?.kind !== 'HTTPRoute') return '';
  return `${row.parent.namespace}/${row.parent.name} > ${row.route.namespace}/${row.route.name}`;
}
