/**
 * `check`'s three outputs: a readable table (`text`), one JSON document (`json`), and GitHub
 * Actions workflow commands (`github`) that annotate the file and line of every offending route.
 */
import type { GatewayStatus } from '@switchyard/core';
import type { SourceLocation } from '@switchyard/files';
import type { OwnerRefusal } from '../commands/input-owners.js';
import { displayPath, locationText } from '../report/paths.js';
import { textTable } from '../report/text-table.js';
import {
  parentText,
  type CheckProblem,
  type CheckReport,
  type CheckRow,
  type LocatedDiagnostic,
  type LocatedFinding,
} from './check-report.js';

/** One checked input set and how to name it. */
export interface CheckedInput {
  /** The paths given, or the case file. */
  readonly source: string;
  /** The case's `name` for case files. */
  readonly caseName?: string;
  /** `check -n`: the namespaces the report is limited to; the counts are theirs. */
  readonly namespaces?: readonly string[];
  readonly objectCount: number;
  readonly fileCount: number;
  readonly report: CheckReport;
}

export function formatCheckText(inputs: readonly CheckedInput[], cwd: string): string {
  const blocks = inputs.map((input) => inputText(input, cwd));
  if (inputs.length > 1) {
    const failing = inputs.filter((i) => !i.report.ok).length;
    blocks.push(`${inputs.length} inputs: ${inputs.length - failing} ok, ${failing} with findings`);
  }
  return `${blocks.join('\n\n')}\n`;
}

function inputText(input: CheckedInput, cwd: string): string {
  const { report } = input;
  const title = input.caseName === undefined ? input.source : `${input.caseName} (${input.source})`;
  const scope =
    input.namespaces === undefined ? '' : ` in namespace ${input.namespaces.join(', ')}`;
  const lines = [
    `${title}: ${plural(input.objectCount, 'object')}${scope} from ${plural(input.fileCount, 'file')}`,
  ];
  if (report.rows.length > 0) {
    const header = ['ROUTE', 'PARENT', 'ACCEPTED', 'RESOLVEDREFS', 'STATUS', 'WHERE'];
    const body = report.rows.map((row) => [
      `${row.route.namespace}/${row.route.name}`,
      parentText(row.parent),
      conditionCell(row, 'Accepted'),
      conditionCell(row, 'ResolvedRefs'),
      row.ok ? 'ok' : row.problems.map((p) => p.reason).join(','),
      row.location === undefined ? '' : shortLocation(row.location, cwd),
    ]);
    lines.push('', textTable([header, ...body]));
  } else {
    lines.push('', 'no HTTPRoutes');
  }
  for (const gateway of report.gateways) lines.push('', gatewayLine(gateway));
  const { problems, diagnostics, findings } = findingLines(report, cwd);
  if (problems.length > 0) lines.push('', 'problems:', ...problems.map((p) => `  ${p}`));
  if (findings.length > 0) lines.push('', 'findings:', ...findings.map((f) => `  ${f}`));
  if (diagnostics.length > 0) lines.push('', 'diagnostics:', ...diagnostics.map((d) => `  ${d}`));
  if (report.refusals.length > 0)
    lines.push(
      '',
      'refused by the owners file (not compiled):',
      ...report.refusals.map((r) => `  ${refusalLine(r, cwd)}`),
    );
  lines.push('', summary(input));
  return lines.join('\n');
}

/** Every problem, diagnostic and finding as `file:line:col: ...` lines. */
export function findingLines(
  report: CheckReport,
  cwd: string,
): { problems: string[]; diagnostics: string[]; findings: string[] } {
  return {
    problems: report.rows.flatMap((row) => row.problems.map((p) => problemLine(row, p, cwd))),
    diagnostics: report.diagnostics.map((d) => diagnosticLine(d, cwd)),
    findings: report.findings.map((f) => findingLine(f, cwd)),
  };
}

/** `ok: 6 routes, 6 parent entries, all Accepted and ResolvedRefs` or `FAILED: ...`. */
export function summary(input: Pick<CheckedInput, 'report'>): string {
  const { rows, diagnostics, findings } = input.report;
  const routes = new Set(rows.map((r) => `${r.route.namespace}/${r.route.name}`)).size;
  const entries = rows.filter((r) => r.parent !== undefined).length;
  const failing = rows.filter((r) => !r.ok).length;
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const findingErrors = findings.filter((f) => f.severity === 'error').length;
  const counted = `${plural(routes, 'route')}, ${plural(entries, 'parent entry', 'parent entries')}`;
  if (input.report.ok) return `ok: ${counted}, all Accepted and ResolvedRefs`;
  const parts = [];
  if (failing > 0) parts.push(`${failing} not Accepted and ResolvedRefs (or with dropped rules)`);
  if (errors > 0) parts.push(plural(errors, 'error diagnostic'));
  if (findingErrors > 0) parts.push(plural(findingErrors, 'error finding'));
  const refused = input.report.refusals.length;
  if (refused > 0)
    parts.push(
      plural(refused, 'object refused by the owners file', 'objects refused by the owners file'),
    );
  return `FAILED: ${counted}; ${parts.join('; ')}`;
}

function conditionCell(row: CheckRow, type: string): string {
  const condition = row.conditions.find((c) => c.type === type);
  return condition === undefined ? '-' : condition.status;
}

function gatewayLine(gateway: GatewayStatus): string {
  const conditions = gateway.conditions.map((c) => `${c.type}=${c.status}`).join(' ');
  const listeners = gateway.listeners
    .map((l) => `listener ${l.name}: ${plural(l.attachedRoutes, 'route')} attached`)
    .join('; ');
  return `Gateway ${gateway.namespace}/${gateway.name}: ${conditions}${listeners === '' ? '' : `; ${listeners}`}`;
}

function problemLine(row: CheckRow, problem: CheckProblem, cwd: string): string {
  const where = problem.location === undefined ? '' : `${locationText(problem.location, cwd)}: `;
  return `${where}${problemText(row, problem)}`;
}

function problemText(row: CheckRow, problem: CheckProblem): string {
  const route = `${row.route.namespace}/${row.route.name}`;
  if (row.parent === undefined) return `${route}: not attached: ${problem.message}`;
  return `${route} under ${parentText(row.parent)}: ${problem.condition}=${problem.status} (${problem.reason}): ${problem.message}`;
}

function diagnosticLine(diagnostic: LocatedDiagnostic, cwd: string): string {
  const where =
    diagnostic.location === undefined ? '' : `${locationText(diagnostic.location, cwd)}: `;
  return `${diagnostic.severity}: ${where}${diagnostic.message} [${diagnostic.code}]`;
}

function findingLine(finding: LocatedFinding, cwd: string): string {
  const where = finding.location === undefined ? '' : `${locationText(finding.location, cwd)}: `;
  return `${finding.severity}: ${where}${findingText(finding)} [${finding.code}]`;
}

function findingText(finding: LocatedFinding): string {
  const { kind, namespace, name } = finding.object;
  const affects = finding.affects.length === 0 ? '' : ` (affects ${finding.affects.join(', ')})`;
  return `${kind} ${namespace}/${name}: ${finding.message}${affects}`;
}

/** `error: banking/x.yaml:3:1: HTTPRoute payments/x: ... [owners/namespace]`. */
function refusalLine(refusal: OwnerRefusal, cwd: string): string {
  return `error: ${locationText(refusal.location, cwd)}: ${refusalText(refusal)} [${refusal.rule}]`;
}

function refusalText(refusal: OwnerRefusal): string {
  return `${refusal.message}; refused, not compiled: ${refusal.fix}`;
}

function shortLocation(location: SourceLocation, cwd: string): string {
  return `${displayPath(location.file, cwd)}:${location.line}`;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

// ---------------------------------------------------------------- json

/** The JSON document `check --format json` prints; documented in `docs/cli.md`. */
export function checkJson(inputs: readonly CheckedInput[], cwd: string): unknown {
  return {
    ok: inputs.every((i) => i.report.ok),
    inputs: inputs.map((input) => ({
      source: input.source,
      ...(input.caseName === undefined ? {} : { case: input.caseName }),
      ...(input.namespaces === undefined ? {} : { namespaces: input.namespaces }),
      ok: input.report.ok,
      objects: input.objectCount,
      routes: routesJson(input.report.rows, cwd),
      gateways: input.report.gateways,
      diagnostics: input.report.diagnostics.map(({ location, ...d }) => ({
        ...d,
        ...locationJson(location, cwd),
      })),
      findings: input.report.findings.map(({ location, ...f }) => ({
        ...f,
        ...locationJson(location, cwd),
      })),
      // Only when the owners file refused something: the document is unchanged otherwise.
      ...(input.report.refusals.length === 0
        ? {}
        : {
            refused: input.report.refusals.map(({ location, ...r }) => ({
              ...r,
              ...locationJson(location, cwd),
            })),
          }),
    })),
  };
}

function routesJson(rows: readonly CheckRow[], cwd: string): unknown[] {
  const routes = new Map<string, CheckRow[]>();
  for (const row of rows) {
    const key = `${row.route.namespace}/${row.route.name}`;
    const group = routes.get(key);
    if (group === undefined) routes.set(key, [row]);
    else group.push(row);
  }
  return [...routes.values()].map((group) => {
    const first = group[0]!;
    const attached = group.filter((r) => r.parent !== undefined);
    const unattached = group.filter((r) => r.parent === undefined).flatMap((r) => r.problems);
    return {
      namespace: first.route.namespace,
      name: first.route.name,
      ...locationJson(first.location, cwd),
      ok: group.every((r) => r.ok),
      parents: attached.map((row) => ({
        parentRef: row.parent,
        ok: row.ok,
        conditions: row.conditions,
        problems: row.problems.map((p) => problemJson(p, cwd)),
      })),
      ...(unattached.length === 0 ? {} : { problems: unattached.map((p) => problemJson(p, cwd)) }),
    };
  });
}

function problemJson({ location, ...problem }: CheckProblem, cwd: string): unknown {
  return { ...problem, ...locationJson(location, cwd) };
}

function locationJson(location: SourceLocation | undefined, cwd: string): object {
  if (location === undefined) return {};
  return { file: displayPath(location.file, cwd), line: location.line, column: location.column };
}

// ---------------------------------------------------------------- github

/**
 * GitHub Actions workflow commands: `::error file=...,line=...::...` per problem (warnings for
 * warning diagnostics), then one summary line per input.
 */
export function formatCheckGithub(inputs: readonly CheckedInput[], cwd: string): string {
  const lines: string[] = [];
  for (const input of inputs) {
    for (const row of input.report.rows) {
      for (const problem of row.problems) {
        const title = `switchyard check: ${row.route.namespace}/${row.route.name}`;
        lines.push(
          workflowCommand('error', problem.location, title, problemText(row, problem), cwd),
        );
      }
    }
    for (const diagnostic of input.report.diagnostics) {
      const title = `switchyard check: ${diagnostic.code}`;
      lines.push(
        workflowCommand(diagnostic.severity, diagnostic.location, title, diagnostic.message, cwd),
      );
    }
    for (const finding of input.report.findings) {
      const title = `switchyard check: ${finding.code}`;
      lines.push(
        workflowCommand(finding.severity, finding.location, title, findingText(finding), cwd),
      );
    }
    for (const refusal of input.report.refusals) {
      const title = `switchyard check: ${refusal.rule}`;
      lines.push(workflowCommand('error', refusal.location, title, refusalText(refusal), cwd));
    }
    lines.push(`${input.source}: ${summary(input)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** One `::error` / `::warning` line, with the file, line and column when known. */
export function workflowCommand(
  level: 'error' | 'warning',
  location: SourceLocation | undefined,
  title: string,
  message: string,
  cwd: string,
): string {
  const properties = [
    ...(location === undefined
      ? []
      : [
          `file=${escapeProperty(displayPath(location.file, cwd))}`,
          `line=${location.line}`,
          `col=${location.column}`,
        ]),
    `title=${escapeProperty(title)}`,
  ];
  return `::${level} ${properties.join(',')}::${escapeData(message)}`;
}

// The escaping GitHub's toolkit applies (@actions/core `command.ts`).
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
