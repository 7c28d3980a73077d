/**
 * One file's text → the Kubernetes objects in it, each with the position it is written at.
 *
 * A file may hold several YAML documents (`---`), `kind: List` documents (their `items` are the
 * objects), JSON (parsed by the same YAML parser, so positions work the same), or be a routing
 * case file (a top-level `objects:` list, as in `packages/test-kit/cases/`). A document that is
 * none of these (no `kind` and no `apiVersion`, such as `backends.local.yaml` or `requests.yaml`
 * next to the manifests) is ignored and listed as such. A syntax error anywhere makes the whole
 * file unusable: the caller keeps what it had from that file before.
 */
import { isMap, isSeq, LineCounter, parseAllDocuments, type Node } from 'yaml';
import { findNode, nodeLocation, parseFieldPath, type SourceLocation } from './locate.js';

/** An object read from a file, with where it is written. */
export interface LocatedObject {
  /** The object as plain data (what `compile` gets). */
  readonly value: unknown;
  readonly location: SourceLocation;
  /** Where a field path of this object (`spec.rules[0].matches[1]`) is written; falls back to the nearest field that exists. */
  locate(fieldPath: string): SourceLocation;
}

/** What a routing case file says besides its objects. */
export interface CaseFileInfo {
  readonly name?: string;
  readonly gateway?: { readonly namespace: string; readonly name: string };
  readonly options?: {
    readonly routeWeight?: boolean;
    readonly maxDelegationDepth?: number;
    readonly delegationAllNamespaces?: string;
    readonly maxRoutesPerDelegation?: number;
  };
}

/** Why a file could not be used, at the position of the first problem. */
export interface ParseProblem {
  readonly location: SourceLocation;
  /** One line, without the position. */
  readonly message: string;
}

export type ParsedFile =
  | {
      readonly ok: true;
      readonly file: string;
      readonly objects: readonly LocatedObject[];
      /** Present when the file is a routing case file. */
      readonly caseFile?: CaseFileInfo;
      /** Documents that are not Kubernetes objects, by position. */
      readonly ignored: readonly SourceLocation[];
    }
  | { readonly ok: false; readonly file: string; readonly problem: ParseProblem };

/**
 * Parses one file's text.
 *
 * @example
 * ```ts
 * const parsed = parseManifestFile('/repo/routes.yaml', readFileSync('/repo/routes.yaml', 'utf8'));
 * if (!parsed.ok) console.error(`${parsed.problem.location.line}: ${parsed.problem.message}`);
 * ```
 */
export function parseManifestFile(file: string, text: string): ParsedFile {
  const lines = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: false });
  const all = Array.isArray(documents) ? documents : [documents];
  for (const document of all) {
    const error = document.errors[0];
    if (error) {
      const position = error.linePos?.[0] ?? { line: 1, col: 1 };
      return {
        ok: false,
        file,
        problem: {
          location: { file, line: position.line, column: position.col },
          message: firstLine(error.message),
        },
      };
    }
  }

  const objects: LocatedObject[] = [];
  const ignored: SourceLocation[] = [];
  let caseFile: CaseFileInfo | undefined;
  const located = (node: Node, value: unknown): LocatedObject => ({
    value,
    location: nodeLocation(file, node, lines),
    locate: (path) => nodeLocation(file, findNode(node, parseFieldPath(path)), lines),
  });

  for (const document of all) {
    const root = document.contents;
    if (root === null || root === undefined) continue;
    const value: unknown = document.toJS({ maxAliasCount: 1000 });
    if (!isMap(root) || !isRecord(value)) {
      if (value !== null && value !== undefined) ignored.push(nodeLocation(file, root, lines));
      continue;
    }
    const isObject = 'kind' in value || 'apiVersion' in value;
    const items = root.get('items', true);
    if (value.kind === 'List' && isSeq(items) && Array.isArray(value.items)) {
      const values = value.items as unknown[];
      items.items.forEach((item, i) => isNode(item) && objects.push(located(item, values[i])));
      continue;
    }
    const caseObjects = root.get('objects', true);
    if (!isObject && isSeq(caseObjects) && Array.isArray(value.objects)) {
      caseFile = caseInfo(value);
      const values = value.objects as unknown[];
      caseObjects.items.forEach(
        (item, i) => isNode(item) && objects.push(located(item, values[i])),
      );
      continue;
    }
    if (isObject) objects.push(located(root, value));
    else ignored.push(nodeLocation(file, root, lines));
  }
  return caseFile === undefined
    ? { ok: true, file, objects, ignored }
    : { ok: true, file, objects, ignored, caseFile };
}

function caseInfo(value: Record<string, unknown>): CaseFileInfo {
  const info: { -readonly [K in keyof CaseFileInfo]: CaseFileInfo[K] } = {};
  if (typeof value.name === 'string') info.name = value.name;
  const gateway = value.gateway;
  if (
    isRecord(gateway) &&
    typeof gateway.namespace === 'string' &&
    typeof gateway.name === 'string'
  )
    info.gateway = { namespace: gateway.namespace, name: gateway.name };
  const options = value.options;
  if (isRecord(options)) {
    const picked: {
      routeWeight?: boolean;
      maxDelegationDepth?: number;
      delegationAllNamespaces?: string;
      maxRoutesPerDelegation?: number;
    } = {};
    if (typeof options.routeWeight === 'boolean') picked.routeWeight = options.routeWeight;
    if (typeof options.maxDelegationDepth === 'number')
      picked.maxDelegationDepth = options.maxDelegationDepth;
    if (typeof options.delegationAllNamespaces === 'string')
      picked.delegationAllNamespaces = options.delegationAllNamespaces;
    if (typeof options.maxRoutesPerDelegation === 'number')
      picked.maxRoutesPerDelegation = options.maxRoutesPerDelegation;
    info.options = picked;
  }
  return info;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && 'range' in value;
}

/** The yaml library's messages end in a code excerpt; the first line says what is wrong. */
function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, '');
}
