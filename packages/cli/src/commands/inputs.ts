/**
 * What every command that reads manifests shares: the compile flags, loading the paths once,
 * and turning unusable input into a one-line error with exit code 2.
 */
import { Option, type Command } from 'commander';
import { CliError } from '../errors.js';
import { MissingPathError } from '@switchyard/files';
import {
  compileSet,
  inputSets,
  type CompileFlags,
  type CompiledSet,
  type InputSet,
} from '@switchyard/files';
import { createManifestStore } from '@switchyard/files';
import { locationText } from '../report/paths.js';

export interface CompileFlagOptions {
  readonly gateway?: string;
  readonly routeWeight?: boolean;
  readonly maxDelegationDepth?: string;
}

/** Adds `--gateway`, `--route-weight` and `--max-delegation-depth` to a command. */
export function withCompileOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--gateway <namespace/name>',
        'the Gateway whose route table to use (default: the only or first Gateway)',
      ),
    )
    .addOption(
      new Option('--route-weight', 'honour the kgateway.dev/route-weight annotation when sorting'),
    )
    .addOption(
      new Option(
        '--max-delegation-depth <n>',
        'delegation hops allowed below the Gateway (default 16)',
      ),
    );
}

/** Reads the compile flags; a malformed value is a usage error. */
export function compileFlags(options: CompileFlagOptions): CompileFlags {
  const flags: { -readonly [K in keyof CompileFlags]: CompileFlags[K] } = {};
  if (options.gateway !== undefined) flags.gateway = parseObjectKey(options.gateway, '--gateway');
  if (options.routeWeight === true) flags.routeWeight = true;
  if (options.maxDelegationDepth !== undefined) {
    const depth = Number(options.maxDelegationDepth);
    if (!Number.isInteger(depth) || depth < 1)
      throw new CliError(
        `--max-delegation-depth must be a whole number of at least 1, got '${options.maxDelegationDepth}'`,
      );
    flags.maxDelegationDepth = depth;
  }
  return flags;
}

/** `namespace/name` → `{ namespace, name }`. */
export function parseObjectKey(text: string, flag: string): { namespace: string; name: string } {
  const found = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([a-z0-9]([-.a-z0-9]*[a-z0-9])?)$/.exec(text);
  if (!found) throw new CliError(`${flag} must be namespace/name, got '${text}'`);
  return { namespace: found[1]!, name: found[3]! };
}

export interface LoadedInputs {
  readonly sets: readonly InputSet[];
}

/**
 * Reads every file under the paths once. A missing path, a file that does not parse, or no
 * Kubernetes object at all is unusable input (exit 2).
 */
export function loadInputs(paths: readonly string[], cwd: string): LoadedInputs {
  let store;
  try {
    store = createManifestStore(paths, cwd);
  } catch (error) {
    if (error instanceof MissingPathError) throw new CliError(error.message);
    throw error;
  }
  const { failed } = store.refresh();
  const first = failed[0];
  if (first !== undefined) {
    const more =
      failed.length > 1 ? ` (and ${failed.length - 1} more files that do not parse)` : '';
    throw new CliError(`${locationText(first.location, cwd)}: ${first.message}${more}`);
  }
  const sets = inputSets(store.files());
  if (sets.every((set) => set.objects.length === 0)) {
    throw new CliError(`no Kubernetes objects in ${paths.join(' ')}`);
  }
  return { sets };
}

/** The one set a command other than `check` works on. */
export function singleSet(sets: readonly InputSet[], command: string): InputSet {
  const cases = sets.filter((s) => s.caseFile !== undefined).length;
  if (sets.length !== 1 || sets[0] === undefined) {
    throw new CliError(
      `${command} needs one set of objects, but the paths hold ${cases} case files${sets.length > cases ? ' and other manifests' : ''}: pass one case file or only plain manifests`,
    );
  }
  return sets[0];
}

/** Loads and compiles the one set of objects under the paths. */
export function loadOne(
  paths: readonly string[],
  options: CompileFlagOptions,
  cwd: string,
  command: string,
): CompiledSet {
  const flags = compileFlags(options);
  const set = singleSet(loadInputs(paths, cwd).sets, command);
  const compiled = compileSet(set, flags);
  requireGateway(compiled, flags);
  return compiled;
}

/** `--gateway` naming a Gateway that is not among the objects is a usage error, not an empty table. */
export function requireGateway(compiled: CompiledSet, flags: CompileFlags): void {
  const wanted = flags.gateway;
  if (wanted === undefined) return;
  const found = compiled.result.gateways.some(
    (g) => g.namespace === wanted.namespace && g.name === wanted.name,
  );
  if (!found) {
    const known = compiled.result.gateways.map((g) => `${g.namespace}/${g.name}`).join(', ');
    throw new CliError(
      `--gateway ${wanted.namespace}/${wanted.name}: no such Gateway among the objects (${known === '' ? 'there are none' : `found: ${known}`})`,
    );
  }
}
