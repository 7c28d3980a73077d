/**
 * The files behind a list of paths and the objects last read from each. `refresh()` rescans the
 * paths, re-reads only files whose text changed, and keeps a file's last good objects when its new
 * text does not parse: one team's broken file never takes anyone else's routes (or its own last
 * good ones) away. Used once by the one-shot commands and on every change by the file source.
 */
import { readFileSync } from 'node:fs';
import { findManifestFiles, resolveRoots, type InputRoot } from './find-files.js';
import {
  parseManifestFile,
  type CaseFileInfo,
  type LocatedObject,
  type ParseProblem,
} from './parse-file.js';
import type { SourceLocation } from './locate.js';

export interface FileEntry {
  readonly file: string;
  /** The objects in use from this file: from its text, or its last good text when that fails. */
  readonly objects: readonly LocatedObject[];
  readonly caseFile?: CaseFileInfo;
  readonly ignored: readonly SourceLocation[];
  /** Set while the file's current text does not parse. */
  readonly problem?: ParseProblem;
}

export interface RefreshResult {
  /** Files whose objects changed (added, removed, or re-parsed successfully with other text). */
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];
  /** Files whose new text failed to parse in this refresh (each reported once per text). */
  readonly failed: readonly ParseProblem[];
  /** Files that failed before and parse again. */
  readonly recovered: readonly string[];
  /** Whether the object list differs from before this refresh. */
  readonly objectsChanged: boolean;
}

export interface ManifestStore {
  readonly roots: readonly InputRoot[];
  refresh(): RefreshResult;
  /** Every file, sorted by path. */
  files(): readonly FileEntry[];
}

interface CachedFile {
  text: string;
  entry: FileEntry;
}

/**
 * Opens the paths (throws `MissingPathError` when one does not exist) without reading them yet.
 *
 * @example
 * ```ts
 * const store = createManifestStore(['examples/delegation'], process.cwd());
 * const { failed } = store.refresh();
 * const objects = store.files().flatMap((f) => f.objects.map((o) => o.value));
 * ```
 */
export function createManifestStore(paths: readonly string[], cwd: string): ManifestStore {
  const roots = resolveRoots(paths, cwd);
  const cache = new Map<string, CachedFile>();

  function refresh(): RefreshResult {
    const found = findManifestFiles(roots);
    const added: string[] = [];
    const changed: string[] = [];
    const failed: ParseProblem[] = [];
    const recovered: string[] = [];
    const present = new Set(found);
    const removed = [...cache.keys()].filter((file) => !present.has(file));
    let objectsChanged = false;
    for (const file of removed) {
      objectsChanged ||= (cache.get(file)?.entry.objects.length ?? 0) > 0;
      cache.delete(file);
    }

    for (const file of found) {
      const text = readText(file);
      const before = cache.get(file);
      if (text === undefined) {
        // Deleted between the scan and the read: the next scan reports it as removed.
        continue;
      }
      if (before !== undefined && before.text === text) continue;
      const parsed = parseManifestFile(file, text);
      if (!parsed.ok) {
        failed.push(parsed.problem);
        const kept = before?.entry ?? { file, objects: [], ignored: [] };
        cache.set(file, { text, entry: { ...kept, problem: parsed.problem } });
        if (before === undefined) added.push(file);
        continue;
      }
      const entry: FileEntry = {
        file,
        objects: parsed.objects,
        ignored: parsed.ignored,
        ...(parsed.caseFile === undefined ? {} : { caseFile: parsed.caseFile }),
      };
      cache.set(file, { text, entry });
      if (before?.entry.problem !== undefined) recovered.push(file);
      if (before === undefined) {
        added.push(file);
        objectsChanged ||= parsed.objects.length > 0;
      } else if (!sameObjects(before.entry.objects, parsed.objects)) {
        changed.push(file);
        objectsChanged = true;
      }
    }
    return { added, removed, changed, failed, recovered, objectsChanged };
  }

  return {
    roots,
    refresh,
    files: () => [...cache.keys()].sort().map((file) => cache.get(file)!.entry),
  };
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Comments and formatting changes do not count as changes. */
function sameObjects(a: readonly LocatedObject[], b: readonly LocatedObject[]): boolean {
  return JSON.stringify(a.map((o) => o.value)) === JSON.stringify(b.map((o) => o.value));
}
