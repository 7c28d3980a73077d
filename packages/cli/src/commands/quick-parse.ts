/**
 * The one-shot commands' parser: the same result as `parseManifestFile`, at a tenth of the cost.
 *
 * Building the `yaml` library's syntax tree of every file was most of `check`'s time and memory
 * on large configurations (64k flattened routes: 30 s, 780 MB). Here js-yaml reads the values,
 * each object's position is the first line of its document (documents are split at `---` lines,
 * which YAML forbids inside scalars), and the syntax tree of a document is built only when one of
 * its fields must be located (a problem, a diagnostic, a finding): rarely, and once.
 *
 * Anything this shortcut does not model exactly falls back to `parseManifestFile` for the whole
 * file: a syntax error (its message and position are the reference ones), aliases and anchors
 * (js-yaml shares aliased nodes, which would let a few lines expand into a huge walk), `kind:
 * List` documents and case files (their objects are list items), content on a `---` line.
 */
import { CORE_SCHEMA, loadAll } from 'js-yaml';
import type { SourceLocation } from '@switchyard/files';
import { parseManifestFile, type LocatedObject, type ParsedFile } from '@switchyard/files';

/**
 * Parses one file's text as `parseManifestFile` does.
 *
 * @example
 * ```ts
 * const parsed = quickParse('/repo/routes.yaml', readFileSync('/repo/routes.yaml', 'utf8'));
 * ```
 */
export function quickParse(file: string, text: string): ParsedFile {
  // An anchor, alias or tag outside a quoted string: leave it to the reference parser.
  if (/(^|[\s[{,:-])[&*!][^\s,\]}]/m.test(text)) return parseManifestFile(file, text);
  const documents = documentStarts(text);
  if (documents === undefined) return parseManifestFile(file, text);
  let values: unknown[];
  try {
    values = loadAll(text, undefined, { schema: CORE_SCHEMA, json: true });
  } catch {
    return parseManifestFile(file, text);
  }
  if (values.length !== documents.length) return parseManifestFile(file, text);

  let lines: string[] | undefined; // split only when a field is located
  // The syntax tree of the last document located: a route's problems are located one after the
  // other, and keeping one tree per document would hold them all (hundreds of MB at 64k routes).
  let last: { first: number; object: LocatedObject | null } | undefined;
  const objects: LocatedObject[] = [];
  const ignored: SourceLocation[] = [];
  for (const [i, value] of values.entries()) {
    const start = documents[i];
    if (value === null || value === undefined || start === undefined) continue;
    const location = { file, line: start.line, column: start.column };
    if (!isRecord(value)) {
      ignored.push(location);
      continue;
    }
    const isObject = 'kind' in value || 'apiVersion' in value;
    if (value.kind === 'List' || (!isObject && 'objects' in value))
      return parseManifestFile(file, text);
    if (!isObject) {
      ignored.push(location);
      continue;
    }
    const { line, column, first, end } = start;
    objects.push({
      value,
      location: { file, line, column },
      locate: (path) => {
        lines ??= text.split('\n');
        if (last?.first !== first)
          last = { first, object: documentObject(file, lines, first, end) };
        if (last.object === null) return { file, line, column };
        const found = last.object.locate(path);
        return { ...found, line: found.line + first };
      },
    });
  }
  return { ok: true, file, objects, ignored };
}

/** The object of one document, parsed alone: lines `[first, end)` of the file (0-based). */
function documentObject(
  file: string,
  lines: readonly string[],
  first: number,
  end: number,
): LocatedObject | null {
  const parsed = parseManifestFile(file, lines.slice(first, end).join('\n'));
  return parsed.ok ? (parsed.objects[0] ?? null) : null;
}

interface DocumentStart {
  /** Where the content starts: 1-based line and column. */
  readonly line: number;
  readonly column: number;
  /** The document's lines in the file: `[first, end)`, 0-based, markers excluded. */
  readonly first: number;
  readonly end: number;
}

/**
 * Where each document's content starts, in document order, or undefined when a `---` line
 * carries content of its own.
 */
function documentStarts(text: string): DocumentStart[] | undefined {
  const starts: DocumentStart[] = [];
  let current: { line: number; column: number } | undefined;
  let first = 0;
  let open = false;
  let explicit = false;
  const lines = text.split('\n');
  const close = (end: number): void => {
    starts.push({ ...(current ?? { line: 0, column: 0 }), first, end });
  };
  for (const [i, raw] of lines.entries()) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (/^---(\s|$)/.test(line)) {
      if (!/^---\s*(#.*)?$/.test(line)) return undefined;
      if (open || explicit) close(i);
      current = undefined;
      first = i + 1;
      open = false;
      explicit = true;
      continue;
    }
    if (/^\.\.\.(\s|$)/.test(line)) return undefined;
    if (current !== undefined) continue;
    const content = /^(\s*)([^\s#%])/.exec(line);
    if (content === null || (line.startsWith('%') && !open && !explicit)) continue;
    current = { line: i + 1, column: content[1]!.length + 1 };
    open = true;
  }
  if (open || explicit) close(lines.length);
  return starts;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
