/**
 * The segment trie of one hostname bucket: built node by node, then sealed into one flat
 * `Int32Array` that `lookup.ts` walks. Entries are opaque here except for their rank.
 */
import type { IndexEntry } from './build-index.js';

/**
 * The sealed trie, laid out flat so that a lookup touches few, close places of memory: at 100k routes every load of table memory is likely a cache (and TLB) miss, and a trie
 * of JS objects costs several per segment (probe array, segment string, node, list).
 *
 * `nodes` holds one record per trie node, a subtree's records next to each other (depth first):
 *
 *     o        segment length L (the segment that leads here from the parent; 0 at the root)
 *     o+1..L   the segment's UTF-16 code units
 *     p = o+1+L
 *     p        children: slot count - 1, or -1 for a leaf
 *     p+1..3   the PathPrefix/regex entries placed here: start in `entries`, count, first rank
 *     p+4..6   the Exact entries whose whole path ends here: start, count, first rank
 *     p+7+2s   slot s of an open-addressing table (linear probing, at most half full): the
 *     p+8+2s   {@link segmentHash} of a child's segment (-1 for an empty slot), the child's `o`
 *
 * A probe confirms a hash against the segment at the start of the child's own record, which is
 * also where the walk goes next. A list's first rank lets the lookup order the lists it met
 * without loading an entry of a list that loses. The root's record starts at 0.
 */
export interface PathIndex {
  readonly nodes: Int32Array;
  /** Every entry list of the trie, each sorted by rank, one after the other (depth first). */
  readonly entries: readonly IndexEntry[];
}

/** Where the root's fields start (`p` of the record at 0, whose segment is empty). */
export const ROOT_FIELDS = 1;
/** Offsets from `p`. */
export const PREFIX_LIST = 1;
export const EXACT_LIST = 4;
export const SLOTS = 7;

/** A trie node while the trie is being built. */
interface BuildNode {
  readonly segment: string;
  readonly entries: IndexEntry[];
  readonly exact: IndexEntry[];
  children: Map<string, BuildNode> | undefined;
  /** While sealing: the size of this node's record and its subtree's, and where it is written. */
  size: number;
  at: number;
}

export interface TrieBuilder {
  readonly root: BuildNode;
}

export function newTrie(): TrieBuilder {
  return { root: buildNode('') };
}

/**
 * Adds an entry at the node `segments` lead to: to its Exact list when `exact`, else to its
 * PathPrefix/regex list. Entries must arrive in rank order, so appending keeps every list sorted.
 */
export function addToTrie(
  trie: TrieBuilder,
  segments: readonly string[],
  exact: boolean,
  entry: IndexEntry,
): void {
  let node = trie.root;
  for (const segment of segments) node = childFor(node, segment);
  (exact ? node.exact : node.entries).push(entry);
}

function buildNode(segment: string): BuildNode {
  return { segment, entries: [], exact: [], children: undefined, size: 0, at: 0 };
}

function childFor(node: BuildNode, segment: string): BuildNode {
  node.children ??= new Map();
  let child = node.children.get(segment);
  if (child === undefined) node.children.set(segment, (child = buildNode(segment)));
  return child;
}

/** Nodes written between two yields of {@link sealTrieSteps}. */
const SEAL_STEP = 2_048;

/**
 * The finished trie: every node's record written depth first into one `Int32Array`, in steps
 * (yielding after every {@link SEAL_STEP} nodes) so that a serving thread can seal a large trie
 * between requests. Every record's place is known before any is written (each subtree's size is
 * computed first), so nodes are written from an explicit stack in the same depth-first layout,
 * and a trie as deep as the longest admitted path costs no recursion.
 */
export function* sealTrieSteps({ root }: TrieBuilder): Generator<void, PathIndex, void> {
  const nodes = new Int32Array(yield* recordSizes(root));
  const entries: IndexEntry[] = [];
  const writeList = (at: number, list: readonly IndexEntry[]): void => {
    nodes[at] = entries.length;
    nodes[at + 1] = list.length;
    nodes[at + 2] = list[0]?.rank ?? 0;
    for (const entry of list) entries.push(entry);
  };
  // Entry lists are laid out in the order nodes are written: depth first, children in insertion
  // order, which the stack keeps by pushing children in reverse.
  root.at = 0;
  const stack: BuildNode[] = [root];
  let written = 0;
  while (stack.length > 0) {
    const node = stack.pop()!;
    const { at } = node;
    const { segment } = node;
    nodes[at] = segment.length;
    for (let i = 0; i < segment.length; i++) nodes[at + 1 + i] = segment.charCodeAt(i);
    const fields = at + 1 + segment.length;
    const children = node.children === undefined ? [] : [...node.children.values()];
    const slots = slotCount(children.length);
    nodes[fields] = slots - 1;
    writeList(fields + PREFIX_LIST, node.entries);
    writeList(fields + EXACT_LIST, node.exact);
    const table = fields + SLOTS;
    nodes.fill(-1, table, table + 2 * slots);
    let next = table + 2 * slots;
    for (const child of children) {
      const hash = segmentHash(child.segment, 0, child.segment.length);
      let slot = hash & (slots - 1);
      while (nodes[table + 2 * slot] !== -1) slot = (slot + 1) & (slots - 1);
      nodes[table + 2 * slot] = hash;
      nodes[table + 2 * slot + 1] = next;
      child.at = next;
      next += child.size;
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
    if (++written % SEAL_STEP === 0) yield;
  }
  return { nodes, entries };
}

/** Runs a stepwise computation to its end, without pausing. */
export function finish<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
}

/** Slots for `children` (0 for a leaf, so its mask is -1): a power of two, at most half full. */
function slotCount(children: number): number {
  if (children === 0) return 0;
  let size = 2;
  while (size < children * 2) size *= 2;
  return size;
}

/** The size of the records of `root`'s subtree, each node's kept in its `size`; in steps. */
function* recordSizes(root: BuildNode): Generator<void, number, void> {
  // Post-order from an explicit stack: a trie can be as deep as the longest admitted path.
  const stack: { readonly node: BuildNode; visited: boolean }[] = [{ node: root, visited: false }];
  let measured = 0;
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const children = top.node.children;
    if (!top.visited && children !== undefined) {
      top.visited = true;
      for (const child of children.values()) stack.push({ node: child, visited: false });
      continue;
    }
    stack.pop();
    let size = 1 + top.node.segment.length + SLOTS + 2 * slotCount(children?.size ?? 0);
    if (children !== undefined) for (const child of children.values()) size += child.size;
    top.node.size = size;
    if (++measured % SEAL_STEP === 0) yield;
  }
  return root.size;
}

const HASH_SEED = 0x811c9dc5 | 0;

/**
 * FNV-1a over the UTF-16 code units of `text[start, end)`, cut to 30 bits so that it stays a
 * small integer. `lookup.ts` computes the same while it scans the request path.
 */
export function segmentHash(text: string, start: number, end: number): number {
  let hash = HASH_SEED;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
  return hash & 0x3fffffff;
}

export { HASH_SEED };
