/**
 * What a reload changed, in words: flattened routes that appeared or disappeared, and route
 * statuses that changed. Routes are compared by their text without the rank, so a new route does
 * not make every route below it look changed.
 */
import { formatTable, type CompileResult, type RouteStatus } from '@switchyard/core';

export interface TableChanges {
  /** Route lines (as `formatTable` prints them, without `#rank`) that are new. */
  readonly addedRoutes: readonly string[];
  readonly removedRoutes: readonly string[];
  /** `ns/name under Kind ns/name: Accepted=True ResolvedRefs=False(BackendNotFound)`, new or changed. */
  readonly statusChanges: readonly string[];
}

export function diffResults(before: CompileResult | undefined, after: CompileResult): TableChanges {
  const oldRoutes = routeLines(before);
  const newRoutes = routeLines(after);
  const oldStatuses = statusLines(before?.statuses ?? []);
  const newStatuses = statusLines(after.statuses);
  const gone = [...oldStatuses.keys()].filter((key) => !newStatuses.has(key));
  return {
    addedRoutes: [...newRoutes].filter((line) => !oldRoutes.has(line)),
    removedRoutes: [...oldRoutes].filter((line) => !newRoutes.has(line)),
    statusChanges: [
      ...[...newStatuses]
        .filter(([key, text]) => oldStatuses.get(key) !== text)
        .map(([key, text]) => `${key}: ${text}`),
      ...gone.map((key) => `${key}: no longer evaluated`),
    ],
  };
}

export function hasChanges(changes: TableChanges): boolean {
  return (
    changes.addedRoutes.length + changes.removedRoutes.length + changes.statusChanges.length > 0
  );
}

function routeLines(result: CompileResult | undefined): Set<string> {
  if (result === undefined) return new Set();
  const lines = new Set<string>();
  let listener = '';
  for (const line of formatTable(result.table).split('\n')) {
    if (line.startsWith('listener ')) listener = line.split(' ').slice(1, 2).join('');
    else if (line.startsWith('  #'))
      lines.add(`${listener}: ${line.trim().replace(/^#\d+\s+/, '')}`);
  }
  return lines;
}

function statusLines(statuses: readonly RouteStatus[]): Map<string, string> {
  const lines = new Map<string, string>();
  for (const status of statuses) {
    for (const parent of status.parents) {
      const ref = parent.parentRef;
      const key = `${status.namespace}/${status.name} under ${ref.kind} ${ref.namespace}/${ref.name}${ref.sectionName === undefined ? '' : `/${ref.sectionName}`}`;
      const text = parent.conditions
        .map(
          (c) =>
            `${c.type}=${c.status}${c.status === 'True' && c.reason === c.type ? '' : `(${c.reason})`}`,
        )
        .join(' ');
      lines.set(key, text);
    }
  }
  return lines;
}
