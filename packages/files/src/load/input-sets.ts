/**
 * Input sets: which objects are compiled together. Plain manifests under the given paths form one
 * set (a platform repo plus team repos is one cluster); each routing case file is a set of its
 * own, since case files describe separate clusters and would collide if merged. `check` runs every
 * set; the other commands need exactly one.
 */
import {
  compile,
  type CompileOptions,
  type CompileResult,
  type OwnAddress,
  type ServiceAddress,
} from '@switchyard/core';
import type { FileEntry } from './manifest-store.js';
import type { CaseFileInfo, LocatedObject } from './parse-file.js';

export interface InputSet {
  /** The case file this set comes from; undefined for the plain manifests. */
  readonly caseFile?: { readonly file: string; readonly info: CaseFileInfo };
  /** In file order, then document order: `compile` diagnostics index into this list. */
  readonly objects: readonly LocatedObject[];
  /** How many files contributed objects. */
  readonly fileCount: number;
}

/** Groups the files of a store into sets: the plain manifests first (when any), then one per case file. */
export function inputSets(files: readonly FileEntry[]): InputSet[] {
  const plain = files.filter((f) => f.caseFile === undefined);
  const sets: InputSet[] = [];
  const plainObjects = plain.flatMap((f) => f.objects);
  if (plainObjects.length > 0 || files.every((f) => f.caseFile === undefined)) {
    sets.push({
      objects: plainObjects,
      fileCount: plain.filter((f) => f.objects.length > 0).length,
    });
  }
  for (const file of files) {
    if (file.caseFile === undefined) continue;
    sets.push({
      caseFile: { file: file.file, info: file.caseFile },
      objects: file.objects,
      fileCount: 1,
    });
  }
  return sets;
}

/** Compile options chosen on the command line; each overrides what a case file says. */
export interface CompileFlags {
  readonly gateway?: { readonly namespace: string; readonly name: string };
  readonly routeWeight?: boolean;
  readonly maxDelegationDepth?: number;
  /** The label-delegation namespace value that means every namespace (core default `all`). */
  readonly delegationAllNamespaces?: string;
  /** Service addresses from the backend map, for `backend-address-of-foreign-service`. */
  readonly serviceAddresses?: readonly ServiceAddress[];
  /**
   * The gateway's own addresses, for `self-target`. Plain data (flags cross into the compile
   * worker): `serve` learns the ports it bound after the first compile and passes them with the
   * file source's `reconfigure`.
   */
  readonly ownAddresses?: readonly OwnAddress[];
}

/** A compiled set with lookups from what `compile` reports back to where it is written. */
export interface CompiledSet {
  readonly set: InputSet;
  readonly options: CompileOptions;
  readonly result: CompileResult;
  /** The object of that kind and name (namespace `default` when omitted, `''` for Namespaces). */
  find(kind: string, namespace: string, name: string): LocatedObject | undefined;
}

/**
 * Compiles one set with the case file's options overridden by the flags.
 *
 * @example
 * ```ts
 * const [set] = inputSets(store.files());
 * const { result, find } = compileSet(set, { gateway: { namespace: 'kgateway-system', name: 'http' } });
 * ```
 */
export function compileSet(set: InputSet, flags: CompileFlags = {}): CompiledSet {
  const fromCase = set.caseFile?.info;
  const gateway = flags.gateway ?? fromCase?.gateway;
  const routeWeight = flags.routeWeight ?? fromCase?.options?.routeWeight;
  const maxDelegationDepth = flags.maxDelegationDepth ?? fromCase?.options?.maxDelegationDepth;
  const delegationAllNamespaces =
    flags.delegationAllNamespaces ?? fromCase?.options?.delegationAllNamespaces;
  const { serviceAddresses } = flags;
  const { ownAddresses } = flags;
  const maxRoutesPerDelegation = fromCase?.options?.maxRoutesPerDelegation;
  const options: CompileOptions = {
    ...(gateway === undefined ? {} : { gateway }),
    ...(maxRoutesPerDelegation === undefined ? {} : { maxRoutesPerDelegation }),
    ...(routeWeight === undefined ? {} : { routeWeight }),
    ...(maxDelegationDepth === undefined ? {} : { maxDelegationDepth }),
    ...(delegationAllNamespaces === undefined ? {} : { delegationAllNamespaces }),
    ...(serviceAddresses === undefined ? {} : { serviceAddresses }),
    ...(ownAddresses === undefined ? {} : { ownAddresses }),
  };
  const result = compile(
    set.objects.map((o) => o.value),
    options,
  );
  return { set, options, result, find: objectFinder(set.objects) };
}

/**
 * Finds an object by kind, namespace (`''` for a Namespace, `default` when unset) and name; the
 * first of duplicates. One map, built once: a report looks up every route of a large table.
 */
export function objectFinder(objects: readonly LocatedObject[]): CompiledSet['find'] {
  const byKey = new Map<string, LocatedObject>();
  for (const object of objects) {
    const key = objectKey(object.value);
    if (key !== undefined && !byKey.has(key)) byKey.set(key, object);
  }
  return (kind, namespace, name) => byKey.get(`${kind}/${namespace}/${name}`);
}

function objectKey(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { kind, metadata } = value as { kind?: unknown; metadata?: unknown };
  if (typeof kind !== 'string' || typeof metadata !== 'object' || metadata === null)
    return undefined;
  const { name, namespace } = metadata as { name?: unknown; namespace?: unknown };
  if (typeof name !== 'string') return undefined;
  const ns =
    kind === 'Namespace'
      ? ''
      : typeof namespace === 'string' && namespace !== ''
        ? namespace
        : 'default';
  return `${kind}/${ns}/${name}`;
}
