import { isAbsolute, relative, sep } from 'node:path';
import type { SourceLocation } from '@switchyard/files';

/** A file as the user should see it: relative to `cwd` when inside it, with `/` separators. */
export function displayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  const shown = rel === '' || rel.startsWith('..') || isAbsolute(rel) ? file : rel;
  return shown.split(sep).join('/');
}

/** `path/to/file.yaml:12:5`. */
export function locationText(location: SourceLocation, cwd: string): string {
  return `${displayPath(location.file, cwd)}:${location.line}:${location.column}`;
}
