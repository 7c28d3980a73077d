/**
 * `check`'s findings as data: one row per route and parent, with what is wrong and the line it is
 * written on. The formats (`check-format.ts`) only print this.
 *
 * A row is OK when `Accepted` and `ResolvedRefs` are both True and no rule was dropped
 * (`PartiallyInvalid`). A route that no Gateway or parent route evaluated (a label typo, a child
 * that does not consent, a parent Gateway that is not among the files) gets one row of its own
 * with reason `NotAttached`: it is not live, which is what a CI check is for.
 */
import {
  normalize,
  type Condition,
  type Diagnostic,
  type Finding,
  type GatewayStatus,
  type StatusParentRef,
} from '@switchyard/core';
import type { CompiledSet } from '@switchyard/files';
import { droppedRulePath, fieldPathIn, type SourceLocation } from '@switchyard/files';
import type { OwnerRefusal } from '../commands/input-owners.js';

export interface CheckProblem {
  /** `Accepted`, `ResolvedRefs`, `PartiallyInvalid` or `NotAttached`. */
  readonly condition: string;
  readonly status: string;
  readonly reason: string;
  readonly message: string;
  /** The line the problem is written on: the field a message names, else the route. */
  readonly location?: SourceLocation;
}

export interface CheckRow {
  readonly route: { readonly namespace: string; readonly name: string };
  /** Undefined for a route no parent evaluated. */
  readonly parent?: StatusParentRef;
  readonly conditions: readonly Condition[];
  readonly ok: boolean;
  readonly problems: readonly CheckProblem[];
  readonly location?: SourceLocation;
}

export interface LocatedDiagnostic extends Diagnostic {
  readonly location?: SourceLocation;
  /** The namespace of the object the diagnostic is about, when it names or indexes one. */
  readonly namespace?: string;
}

/** A compile finding with the line of the object (or field) that causes it. */
export interface LocatedFinding extends Finding {
  readonly location?: SourceLocation;
}

export interface CheckReport {
  readonly ok: boolean;
  readonly rows: readonly CheckRow[];
  readonly gateways: readonly GatewayStatus[];
  readonly diagnostics: readonly LocatedDiagnostic[];
  readonly findings: readonly LocatedFinding[];
  /** Objects the owners file kept out (not compiled); each fails the verdict of its offender. */
  readonly refusals: readonly OwnerRefusal[];
}

/**
 * Builds the report of one compiled set.
 *
 * @example
 * ```ts
 * const report = checkReport(compileSet(set));
 * process.exitCode = report.ok ? 0 : 1;
 * ```
 */
export function checkReport(
  compiled: CompiledSet,
  refusals: readonly OwnerRefusal[] = [],
): CheckReport {
  const { result, set } = compiled;
  const rows: CheckRow[] = [];
  const seen = new Set<string>();
  for (const status of result.statuses) {
    seen.add(`${status.namespace}/${status.name}`);
    const route = compiled.find('HTTPRoute', status.namespace, status.name);
    for (const parent of status.parents) {
      const problems = parent.conditions.flatMap((c) => problemOf(c, route));
      rows.push({
        route: { namespace: status.namespace, name: status.name },
        parent: parent.parentRef,
        conditions: parent.conditions,
        ok: problems.length === 0,
        problems,
        ...(route === undefined ? {} : { location: route.location }),
      });
    }
  }
  // Only the routes without a status need normalising (usually none): on 64k routes a second
  // pass over every object cost as much memory as the rest of the report.
  const unseen = set.objects
    .map((o) => o.value)
    .filter((value) => {
      if (typeof value !== 'object' || value === null) return false;
      const { kind, metadata } = value as { kind?: unknown; metadata?: { name?: unknown } };
      if (kind !== 'HTTPRoute') return false;
      const name = metadata?.name;
      return typeof name !== 'string' || !seen.has(`${namespaceOf(value)}/${name}`);
    });
  const { objects } = normalize(unseen);
  for (const route of objects.routes) {
    if (seen.has(route.key)) continue;
    const located = compiled.find('HTTPRoute', route.namespace, route.name);
    const location = located?.location;
    rows.push({
      route: { namespace: route.namespace, name: route.name },
      conditions: [],
      ok: false,
      problems: [
        {
          condition: 'NotAttached',
          status: 'True',
          reason: 'NotAttached',
          message: notAttachedMessage(route.parentRefs.length),
          ...(location === undefined ? {} : { location }),
        },
      ],
      ...(location === undefined ? {} : { location }),
    });
  }
  rows.sort(compareRows);
  const diagnostics = result.diagnostics.map((d) => locateDiagnostic(d, compiled));
  const findings = result.findings.map((f) => locateFinding(f, compiled));
  const report = { rows, gateways: result.gateways, diagnostics, findings, refusals };
  return { ok: verdict(report), ...report };
}

/** The verdict: every row OK, no diagnostic or finding of severity `error`, nothing refused. */
export function verdict(report: Omit<CheckReport, 'ok'>): boolean {
  return (
    report.refusals.length === 0 &&
    report.rows.every((r) => r.ok) &&
    report.diagnostics.every((d) => d.severity !== 'error') &&
    report.findings.every((f) => f.severity !== 'error')
  );
}

function problemOf(condition: Condition, route: ReturnType<CompiledSet['find']>): CheckProblem[] {
  const bad =
    condition.type === 'PartiallyInvalid'
      ? condition.status === 'True'
      : (condition.type === 'Accepted' || condition.type === 'ResolvedRefs') &&
        condition.status !== 'True';
  if (!bad) return [];
  // One condition lists every dropped rule; each gets its own line.
  const parts = condition.message.split(/; (?=Dropped Rule )/);
  return parts.map((message) => {
    const field =
      droppedRulePath(message) ??
      fieldPathIn(message) ??
      (route === undefined ? undefined : backendRefPath(message, route.value));
    const location =
      route === undefined ? undefined : field === undefined ? route.location : route.locate(field);
    return {
      condition: condition.type,
      status: condition.status,
      reason: condition.reason,
      message,
      ...(location === undefined ? {} : { location }),
    };
  });
}

/**
 * The backendRef a ResolvedRefs message is about (`Service team-a/ghost:8080: Service not found`,
 * `delegation.kgateway.dev/label/all/nobody: unresolved reference`), as a field path of the route.
 */
function backendRefPath(message: string, route: unknown): string | undefined {
  const service = /^(\S+) ([^/\s]+)\/([^:\s]+)(?::(\d+))?: /.exec(message);
  const delegation = /^([^/\s]*)\/([^/\s]+)\/([^/\s]+)\/([^:\s]+): /.exec(message);
  const wanted = service
    ? { kind: service[1]!, namespace: service[2]!, name: service[3]! }
    : delegation
      ? { kind: delegation[2]!, namespace: delegation[3]!, name: delegation[4]! }
      : undefined;
  if (wanted === undefined) return undefined;
  const spec = (route as { metadata?: { namespace?: unknown }; spec?: { rules?: unknown } }).spec;
  const own = (route as { metadata?: { namespace?: unknown } }).metadata?.namespace;
  const rules = Array.isArray(spec?.rules) ? (spec.rules as unknown[]) : [];
  for (const [r, rule] of rules.entries()) {
    const refs = (rule as { backendRefs?: unknown }).backendRefs;
    if (!Array.isArray(refs)) continue;
    for (const [b, ref] of refs.entries()) {
      const {
        kind = 'Service',
        namespace = own,
        name,
      } = ref as { kind?: unknown; namespace?: unknown; name?: unknown };
      const sameNamespace =
        namespace === wanted.namespace || (wanted.namespace === 'all' && namespace === 'all');
      if (kind === wanted.kind && name === wanted.name && sameNamespace)
        return `spec.rules[${r}].backendRefs[${b}]`;
    }
  }
  return undefined;
}

function notAttachedMessage(parentRefs: number): string {
  return parentRefs === 0
    ? 'no parent route selects this route (check the delegation label or name, and that the parent is among the files)'
    : 'no parent among the files evaluated this route (is its Gateway or parent HTTPRoute among the files, and does it select it?)';
}

function locateDiagnostic(diagnostic: Diagnostic, compiled: CompiledSet): LocatedDiagnostic {
  const object =
    diagnostic.index === undefined ? undefined : compiled.set.objects[diagnostic.index];
  const named =
    object ??
    (diagnostic.object?.kind !== undefined && diagnostic.object.name !== undefined
      ? compiled.find(
          diagnostic.object.kind,
          diagnostic.object.kind === 'Namespace' ? '' : (diagnostic.object.namespace ?? 'default'),
          diagnostic.object.name,
        )
      : undefined);
  const namespace =
    (named === undefined ? undefined : namespaceOf(named.value)) ??
    (diagnostic.object?.kind === undefined
      ? undefined
      : (diagnostic.object.namespace ?? 'default'));
  const scoped = namespace === undefined ? diagnostic : { ...diagnostic, namespace };
  if (named === undefined) return scoped;
  const location = diagnostic.path === undefined ? named.location : named.locate(diagnostic.path);
  return { ...scoped, location };
}

function locateFinding(finding: Finding, compiled: CompiledSet): LocatedFinding {
  const { kind, namespace, name } = finding.object;
  const named = compiled.find(kind, namespace, name);
  if (named === undefined) return finding;
  const location = finding.path === undefined ? named.location : named.locate(finding.path);
  return { ...finding, location };
}

/** The namespace an object is in (`default` when unset; a Namespace is in itself). */
export function namespaceOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { kind, metadata } = value as { kind?: unknown; metadata?: unknown };
  if (typeof metadata !== 'object' || metadata === null) return 'default';
  const { name, namespace } = metadata as { name?: unknown; namespace?: unknown };
  if (kind === 'Namespace') return typeof name === 'string' ? name : undefined;
  return typeof namespace === 'string' && namespace !== '' ? namespace : 'default';
}

function compareRows(a: CheckRow, b: CheckRow): number {
  return (
    compare(`${a.route.namespace}/${a.route.name}`, `${b.route.namespace}/${b.route.name}`) ||
    compare(parentText(a.parent), parentText(b.parent))
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `Gateway kgateway-system/http` or `HTTPRoute kgateway-system/api`, with `/section` or `:port` when set. */
export function parentText(parent: StatusParentRef | undefined): string {
  if (parent === undefined) return '(none)';
  const section = parent.sectionName === undefined ? '' : `/${parent.sectionName}`;
  const port = parent.port === undefined ? '' : `:${parent.port}`;
  return `${parent.kind} ${parent.namespace}/${parent.name}${section}${port}`;
}
