/**
 * Source positions: where an object, or a field inside it, is written. Status messages and
 * diagnostics name field paths (`spec.rules[0].matches[1].path.value`); the CLI turns them into
 * `file:line` so that `check --format github` can annotate the exact line.
 */
import { isMap, isScalar, isSeq, type LineCounter, type Node } from 'yaml';

export interface SourceLocation {
  /** Absolute path of the file. */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

/** `spec.rules[0].matches[1]` → `['spec', 'rules', 0, 'matches', 1]`. */
export function parseFieldPath(path: string): (string | number)[] {
  const steps: (string | number)[] = [];
  for (const part of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (part[2] !== undefined) steps.push(Number(part[2]));
    else if (part[1] !== undefined) steps.push(part[1]);
  }
  return steps;
}

/**
 * The node at `steps` below `node`, or the deepest node that exists on the way (a field that is
 * missing is best shown where its parent is written). A map key found last yields the key's node,
 * so the position is the start of `key:`.
 */
export function findNode(node: Node, steps: readonly (string | number)[]): Node {
  let current: Node = node;
  // Where the last key on the way is written: a missing list item is best shown at `rules:`.
  let lastKey: Node | undefined;
  for (const [position, step] of steps.entries()) {
    if (isSeq(current) && typeof step === 'number') {
      const item = current.items[step];
      if (!isNode(item)) return lastKey ?? current;
      current = item;
      continue;
    }
    if (isMap(current)) {
      const pair = current.items.find(
        (p) => isScalar(p.key) && String(p.key.value) === String(step),
      );
      if (!pair || !isScalar(pair.key)) return lastKey ?? current;
      if (position === steps.length - 1 || !isNode(pair.value)) return pair.key;
      lastKey = pair.key;
      current = pair.value;
      continue;
    }
    return lastKey ?? current;
  }
  return current;
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && 'range' in value;
}

/** The position of a node's first character. */
export function nodeLocation(file: string, node: Node, lines: LineCounter): SourceLocation {
  const offset = node.range?.[0] ?? 0;
  const { line, col } = lines.linePos(offset);
  return { file, line, column: col };
}

/** The first field path a message mentions (`spec.hostnames: ...`, `... spec.rules[2].filters[0] ...`). */
export function fieldPathIn(message: string): string | undefined {
  return /\b(?:spec|metadata)(?:\.[A-Za-z][\w-]*|\[\d+\])*/.exec(message)?.[0];
}

/** `Dropped Rule 2 match 1` in a PartiallyInvalid message → `spec.rules[2].matches[1]`. */
export function droppedRulePath(message: string): string | undefined {
  const found = /Dropped Rule (\d+)(?: match (\d+))?/.exec(message);
  if (!found) return undefined;
  return found[2] === undefined
    ? `spec.rules[${found[1]}]`
    : `spec.rules[${found[1]}].matches[${found[2]}]`;
}
