/**
 * What `serve` tells its user, as lines of text: the table in brief with every problem, reloads
 * with what changed, backends that have no local address.
 */
import type { CompileResult, RouteTable } from '@switchyard/core';
import { findingLines, summary } from '../check/check-format.js';
import { checkReport } from '../check/check-report.js';
import {
  objectFinder,
  OWNERS_FILE,
  type CompiledSet,
  type FileSourceReport,
  type InputSet,
  type LocatedObject,
  type Refusal,
} from '@switchyard/files';
import { displayPath, locationText } from '../report/paths.js';
import type { BackendMap } from './backend-map.js';
import type { BackendMapEvent } from './backend-map-watch.js';

/** `table: 8 routes on 1 listener; ok: 6 routes, ...` plus one line per problem and finding. */
export function tableSummaryLines(
  result: CompileResult,
  objects: readonly LocatedObject[],
  cwd: string,
): string[] {
  const set: InputSet = { objects, fileCount: 0 };
  const compiled: CompiledSet = { set, options: {}, result, find: objectFinder(objects) };
  const report = checkReport(compiled);
  const routes = result.table.listeners.reduce((n, l) => n + l.routes.length, 0);
  const listeners = result.table.listeners.length;
  const lines = [
    `table: ${routes} flattened route${routes === 1 ? '' : 's'} on ${listeners} listener${listeners === 1 ? '' : 's'}; ${summary({ report })}`,
  ];
  const { problems, diagnostics, findings } = findingLines(report, cwd);
  lines.push(
    ...problems.map((p) => `  problem: ${p}`),
    ...diagnostics.map((d) => `  ${d}`),
    // Rule 27: what one team's objects do to another's (or to the gateway itself).
    ...findings.map((f) => `  ${f}`),
  );
  return lines;
}

/** The lines a file-source report becomes (the load report is printed by the startup banner). */
export function reportLines(
  report: FileSourceReport,
  objects: readonly LocatedObject[],
  cwd: string,
): string[] {
  switch (report.kind) {
    case 'load':
      return [
        report.owners === undefined
          ? `warning: no ${OWNERS_FILE} in the served folder (and no --owners): any file may declare any namespace and any Gateway`
          : `owners: ${displayPath(report.owners, cwd)} (each folder declares only the namespaces it owns)`,
        ...report.problems.map(
          (p) =>
            `error: ${locationText(p.location, cwd)}: ${p.message}; this file is left out until it parses`,
        ),
        ...refusalLines(report.refusals, cwd),
      ];
    case 'reload-refused':
      return [
        `error: reload refused: ${report.problem === undefined ? '' : `${locationText(report.problem.location, cwd)}: `}${report.reason}`,
      ];
    case 'parse-error':
      return [
        `error: ${locationText(report.problem.location, cwd)}: ${report.problem.message}; keeping its last good objects (${report.keptObjects})`,
      ];
    case 'recovered':
      return [`${displayPath(report.file, cwd)} parses again`];
    case 'watch-error':
      return [`warning: ${report.message}`];
    case 'reload': {
      const files = [
        ...report.changed.map((f) => `changed ${displayPath(f, cwd)}`),
        ...report.added.map((f) => `added ${displayPath(f, cwd)}`),
        ...report.removed.map((f) => `removed ${displayPath(f, cwd)}`),
      ];
      const { addedRoutes, removedRoutes, statusChanges } = report.changes;
      const unchanged = addedRoutes.length + removedRoutes.length + statusChanges.length === 0;
      // No file changed: serve compiled again with facts learnt since (the ports it bound, a
      // reloaded backend map). Said only when it changed something or found something.
      if (files.length === 0 && unchanged && report.result.findings.length === 0) return [];
      return [
        files.length > 0
          ? `reload: ${files.join(', ')} (${report.objects} objects)`
          : `recompiled with the gateway's bound addresses and backend map (${report.objects} objects)`,
        ...capped(addedRoutes, (r) => `  + ${r}`, 'added routes'),
        ...capped(removedRoutes, (r) => `  - ${r}`, 'removed routes'),
        ...capped(statusChanges, (s) => `  ~ ${s}`, 'status changes'),
        ...(unchanged ? ['  no change to the routes or their statuses'] : []),
        ...refusalLines(report.refusals, cwd),
        ...tableSummaryLines(report.result, objects, cwd),
      ];
    }
  }
}

/** Lines shown per kind of change: a reload of 50k routes must not print 100k lines. */
const CHANGE_LINES = 50;

function capped(items: readonly string[], line: (item: string) => string, what: string): string[] {
  const shown = items.slice(0, CHANGE_LINES).map(line);
  const more = items.length - shown.length;
  return more > 0 ? [...shown, `  ... and ${more} more ${what}`] : shown;
}

/** One line per object the owners file keeps out: where, what, which rule, what to do. */
export function refusalLines(refusals: readonly Refusal[], cwd: string): string[] {
  const lines = refusals
    .slice(0, CHANGE_LINES)
    .map(
      (r) =>
        `error: ${locationText(r.location, cwd)}: ${r.message}; refused, not compiled (${r.rule}): ${r.fix}`,
    );
  const more = refusals.length - lines.length;
  return more > 0 ? [...lines, `error: ... and ${more} more refused objects`] : lines;
}

/** Backends the table forwards or mirrors to that the backend map does not cover, with where they will be dialled instead. */
export function unmappedBackendLines(table: RouteTable, map: BackendMap): string[] {
  const seen = new Map<string, string>();
  for (const listener of table.listeners) {
    for (const route of listener.routes) {
      if (route.action.kind !== 'forward') continue;
      const targets = [
        ...route.action.backends.filter((b) => b.invalid === undefined),
        ...route.action.mirrors.map((m) => m.backend),
      ];
      for (const backend of targets) {
        const key = `${backend.namespace}/${backend.name}:${backend.port}`;
        if (
          map[key] !== undefined ||
          map[`${backend.namespace}/${backend.name}`] !== undefined ||
          seen.has(key)
        )
          continue;
        const address = backend.address?.hosts.map((h) => `${h.host}:${h.port}`).join(', ');
        const kind = backend.kind === 'Service' && backend.group === '' ? 'Service' : backend.kind;
        seen.set(
          key,
          `${kind} ${key} → ${address ?? `${backend.name}.${backend.namespace}.svc.cluster.local:${backend.port}`}`,
        );
      }
    }
  }
  return [...seen.keys()].sort().map((key) => `  ${seen.get(key)!}`);
}

/** What a change of the backend map file did, or why it was not applied. */
export function backendMapEventLines(event: BackendMapEvent): string[] {
  switch (event.kind) {
    case 'reloaded':
      return [
        'backend map reloaded',
        ...event.added.map((key) => `  + ${key}`),
        ...event.removed.map((key) => `  - ${key}`),
        ...event.changed.map((key) => `  ~ ${key}`),
      ];
    case 'refused':
      return [`error: backend map not reloaded: ${event.message}`];
    case 'watch-error':
      return [`warning: ${event.message}`];
  }
}

export function unknownKeyLine(key: string): string {
  return `warning: backend map key ${key} matches no backend of any route (a typo? it is not used)`;
}
