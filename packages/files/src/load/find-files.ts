/**
 * Which files a list of paths stands for: a file is itself (whatever its extension), a folder is
 * every `.yaml`, `.yml` and `.json` file below it. Hidden entries and `node_modules` are skipped
 * because they are never manifests and can be huge.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const MANIFEST_EXTENSIONS = /\.(ya?ml|json)$/i;

/** A path given on the command line that does not exist or cannot be read. */
export class MissingPathError extends Error {
  constructor(readonly path: string) {
    super(`no such file or directory: ${path}`);
    this.name = 'MissingPathError';
  }
}

/** The path as given and whether it is a folder, for watching. */
export interface InputRoot {
  readonly given: string;
  readonly absolute: string;
  readonly isDirectory: boolean;
}

/** Resolves each path against `cwd`; throws {@link MissingPathError} for the first that is missing. */
export function resolveRoots(paths: readonly string[], cwd: string): InputRoot[] {
  return paths.map((given) => {
    const absolute = resolve(cwd, given);
    const stats = statSync(absolute, { throwIfNoEntry: false });
    if (stats === undefined) throw new MissingPathError(given);
    return { given, absolute, isDirectory: stats.isDirectory() };
  });
}

/**
 * Every manifest file under the roots, absolute, sorted, each once. A root that has vanished
 * since {@link resolveRoots} contributes nothing (the file source treats that as deletion).
 */
export function findManifestFiles(roots: readonly InputRoot[]): string[] {
  const files = new Set<string>();
  for (const root of roots) {
    const stats = statSync(root.absolute, { throwIfNoEntry: false });
    if (stats === undefined) continue;
    if (stats.isDirectory()) walk(root.absolute, files);
    else files.add(root.absolute);
  }
  return [...files].sort();
}

function walk(dir: string, into: Set<string>): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return; // removed or unreadable while we looked: the next reload sees the final state
  }
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, into);
    else if (entry.isFile() && MANIFEST_EXTENSIONS.test(entry.name)) into.add(path);
  }
}
