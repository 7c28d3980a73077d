/**
 * What `serve` tells its user, as lines of text: the table in brief with every problem, reloads
 * with what changed, backends that have no local address.
 */
import type { CompileResult, RouteTable } from '@switchyard/core';
import { findingLines, summary } from '../check/check-format.js';
import { checkReport } from '../check/check-report.js';
import type { FileSourceReport } from '../file-source/file-source.js';
import type { CompiledSet, InputSet } from '../load/input-sets.js';
import type { LocatedObject } from '../load/parse-file.js';
import { displayPath, locationText } from '../report/paths.js';
import type { BackendMap } from './backend-map.js';

/** `table: 8 routes on 1 listener; ok: 6 routes, ...` plus one line per problem and finding. */
export function tableSummaryLines(
  result: CompileResult,
  objects: readonly LocatedObject[],
  cwd: string,
): string[] {
  const set: InputSet = { objects, fileCount: 0 };
  const compiled: CompiledSet = { set, options: {}, result, find: finder(objects) };
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

function finder(objects: readonly LocatedObject[]): CompiledSet['find'] {
  return (kind, namespace, name) =>
    objects.find((o) => {
      const value = o.value as {
        kind?: unknown;
        metadata?: { name?: unknown; namespace?: unknown };
      };
      const ns =
        kind === 'Namespace'
          ? ''
          : typeof value.metadata?.namespace === 'string' && value.metadata.namespace !== ''
            ? value.metadata.namespace
            : 'default';
      return value.kind === kind && value.metadata?.name === name && ns === namespace;
    });
}

/** The lines a file-source report becomes (the load report is printed by the startup banner). */
export function reportLines(
  report: FileSourceReport,
  objects: readonly LocatedObject[],
  cwd: string,
): string[] {
  switch (report.kind) {
    case 'load':
      return report.problems.map(
        (p) =>
          `error: ${locationText(p.location, cwd)}: ${p.message}; this file is left out until it parses`,
      );
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
      return [
        `reload: ${files.join(', ') || 'files changed'} (${report.objects} objects)`,
        ...addedRoutes.map((r) => `  + ${r}`),
        ...removedRoutes.map((r) => `  - ${r}`),
        ...statusChanges.map((s) => `  ~ ${s}`),
        ...(addedRoutes.length + removedRoutes.length + statusChanges.length === 0
          ? ['  no change to the routes or their statuses']
          : []),
        ...tableSummaryLines(report.result, objects, cwd),
      ];
    }
  }
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
