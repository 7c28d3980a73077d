/**
 * The owners file of file mode: which folder of the served tree may declare objects in which
 * namespaces, and which folder may declare Gateways and GatewayClasses. Plain YAML at the root
 * of the served folder (`owners.yaml`), or the file `--owners` names:
 *
 * ```yaml
 * owners:
 *   - folder: platform
 *     namespaces: [kgateway-system]
 *     gateways: true
 *   - folder: banking
 *     namespaces: [banking]
 * ```
 *
 * Folders are relative to the owners file and may not leave it; a namespace has one owner folder,
 * so "the owning folder wins" never needs a tie-break. Reading never throws: problems are data.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { findNode, nodeLocation, parseFieldPath, type SourceLocation } from '../load/locate.js';
import type { ParseProblem } from '../load/parse-file.js';

/** The conventional owners file at the root of a served folder. */
export const OWNERS_FILE = 'owners.yaml';

export interface OwnerEntry {
  /** Absolute folder; every file below it (and not below a deeper entry) belongs to this entry. */
  readonly folder: string;
  /** As written, for messages. */
  readonly given: string;
  readonly namespaces: readonly string[];
  /** May declare Gateways and GatewayClasses. */
  readonly gateways: boolean;
}

export interface Owners {
  /** Absolute path of the owners file. */
  readonly file: string;
  /** Deepest folder first, so the first entry containing a file is its owner. */
  readonly entries: readonly OwnerEntry[];
}

export type OwnersRead =
  | { readonly ok: true; readonly owners: Owners }
  | { readonly ok: false; readonly problem: ParseProblem };

const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Reads and checks an owners file; `file` is absolute. */
export function readOwnersFile(file: string): OwnersRead {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    return fail(file, 1, 1, `cannot read the owners file (${reason})`);
  }
  return parseOwners(file, text);
}

/** Checks the text of an owners file at `file`. */
export function parseOwners(file: string, text: string): OwnersRead {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines });
  const syntax = document.errors[0];
  if (syntax !== undefined) {
    const { line, col } = lines.linePos(syntax.pos[0]);
    return fail(file, line, col, syntax.message.split('\n')[0] ?? syntax.message);
  }
  const at = (path: string): SourceLocation =>
    document.contents === null
      ? { file, line: 1, column: 1 }
      : nodeLocation(file, findNode(document.contents, parseFieldPath(path)), lines);
  const problem = (path: string, message: string): OwnersRead => {
    const { line, column } = at(path);
    return fail(file, line, column, `${path}: ${message}`);
  };
  const data: unknown = document.toJS();
  if (!isRecord(data) || !Array.isArray(data.owners))
    return problem('owners', 'must be a list of { folder, namespaces, gateways } entries');
  const base = dirname(file);
  const entries: OwnerEntry[] = [];
  const ownerOf = new Map<string, string>();
  for (const [i, item] of data.owners.entries()) {
    const path = `owners[${i}]`;
    if (!isRecord(item)) return problem(path, 'must be a mapping with folder and namespaces');
    const unknown = Object.keys(item).find(
      (k) => !['folder', 'namespaces', 'gateways'].includes(k),
    );
    if (unknown !== undefined)
      return problem(`${path}.${unknown}`, 'unknown field; expected folder, namespaces, gateways');
    if (typeof item.folder !== 'string' || item.folder === '')
      return problem(
        `${path}.folder`,
        'must be a folder relative to the owners file, like "banking"',
      );
    const folder = resolve(base, item.folder);
    const inside = relative(base, folder);
    if (isAbsolute(item.folder) || inside.startsWith('..') || isAbsolute(inside))
      return problem(`${path}.folder`, `"${item.folder}" is outside the folder of the owners file`);
    if (entries.some((e) => e.folder === folder))
      return problem(`${path}.folder`, `"${item.folder}" has two entries; merge them into one`);
    const namespaces = item.namespaces ?? [];
    if (!Array.isArray(namespaces) || namespaces.some((n) => typeof n !== 'string'))
      return problem(`${path}.namespaces`, 'must be a list of namespace names');
    for (const [j, namespace] of (namespaces as string[]).entries()) {
      if (!NAMESPACE.test(namespace))
        return problem(`${path}.namespaces[${j}]`, `"${namespace}" is not a namespace name`);
      const other = ownerOf.get(namespace);
      if (other !== undefined)
        return problem(
          `${path}.namespaces[${j}]`,
          `namespace ${namespace} is already owned by folder "${other}"; a namespace has one owner folder`,
        );
      ownerOf.set(namespace, item.folder);
    }
    if (item.gateways !== undefined && typeof item.gateways !== 'boolean')
      return problem(`${path}.gateways`, 'must be true or false');
    entries.push({
      folder: normalize(folder),
      given: item.folder,
      namespaces: namespaces as string[],
      gateways: item.gateways === true,
    });
  }
  entries.sort((a, b) => depth(b.folder) - depth(a.folder));
  return { ok: true, owners: { file, entries } };
}

/** The entry a file belongs to: the deepest folder that contains it. */
export function ownerEntryOf(owners: Owners, file: string): OwnerEntry | undefined {
  return owners.entries.find((e) => file === e.folder || file.startsWith(join(e.folder, sep)));
}

function depth(folder: string): number {
  return folder.split(sep).length;
}

function fail(file: string, line: number, column: number, message: string): OwnersRead {
  return { ok: false, problem: { location: { file, line, column }, message } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
