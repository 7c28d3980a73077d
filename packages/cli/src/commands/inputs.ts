/**
 * What every command that reads manifests shares: the compile flags, loading the paths once,
 * and turning unusable input into a one-line error with exit code 2.
 */
import { Option, type Command } from 'commander';
import { CliError, InputError } from '../errors.js';
import { readFileSync } from 'node:fs';
import {
  findManifestFiles,
  MissingPathError,
  resolveRoots,
  selectGateway,
} from '@switchyard/files';
import {
  compileSet,
  inputSets,
  type CompileFlags,
  type CompiledSet,
  type InputSet,
} from '@switchyard/files';
import type { FileEntry, ParseProblem } from '@switchyard/files';
import { locationText } from '../report/paths.js';
import { loadOwners, ownSet, type OwnerRefusal } from './input-owners.js';
import { quickParse } from './quick-parse.js';

export interface CompileFlagOptions {
  readonly gateway?: string;
  readonly routeWeight?: boolean;
  readonly maxDelegationDepth?: string;
  readonly delegationAllNamespaces?: string;
  /** `--owners`: the owners file (default: owners.yaml at the top of the first path). */
  readonly owners?: string;
}

/**
 * Adds `--gateway`, `--route-weight`, `--max-delegation-depth` and
 * `--delegation-all-namespaces` to a command.
 */
export function withCompileOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--gateway <namespace/name>',
        'the Gateway whose route table to use (required when the inputs hold more than one)',
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
    )
    .addOption(
      new Option(
        '--delegation-all-namespaces <value>',
        "the namespace value of a label delegation that means every namespace (a namespace name; default 'all'; change it when a namespace is called 'all')",
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
  const all = options.delegationAllNamespaces;
  if (all !== undefined) {
    // A backendRef's namespace is a namespace name: any other shape could never be written.
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(all) || all.length > 63)
      throw new CliError(
        `--delegation-all-namespaces must be a namespace name (lowercase letters, digits, '-'), e.g. 'every-namespace', got '${all}'`,
      );
    flags.delegationAllNamespaces = all;
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
  /** Without the objects the owners file refuses. */
  readonly sets: readonly InputSet[];
  /** The objects each set lost to the owners file (same order as `sets`). */
  readonly refusals: readonly (readonly OwnerRefusal[])[];
}

/** The path that stands for standard input (`check platform/ -`). */
export const STDIN_PATH = '-';
/** How standard input is named in messages and annotations. */
export const STDIN_NAME = '<stdin>';

/**
 * Reads every file under the paths once (and `stdin`, the text of standard input, when a path is
 * `-`), and applies the owners file as `serve` does (`owners`: the `--owners` flag). A missing
 * path, a file that does not parse, a malformed owners file, or no Kubernetes object at all is
 * unusable input (exit 2): an {@link InputError} listing every such problem.
 */
export function loadInputs(
  paths: readonly string[],
  cwd: string,
  stdin?: string,
  owners?: string,
): LoadedInputs {
  const filePaths = paths.filter((p) => p !== STDIN_PATH);
  const entries: FileEntry[] = [];
  const failed: ParseProblem[] = [];
  const read = (file: string, text: string): void => {
    const parsed = quickParse(file, text);
    if (parsed.ok) {
      const { objects, ignored, caseFile } = parsed;
      entries.push({ file, objects, ignored, ...(caseFile ? { caseFile } : {}) });
    } else failed.push(parsed.problem);
  };
  if (filePaths.length > 0) {
    let roots;
    try {
      roots = resolveRoots(filePaths, cwd);
    } catch (error) {
      if (error instanceof MissingPathError)
        throw new InputError(error.message, [{ code: 'missing-path', message: error.message }]);
      throw error;
    }
    for (const file of findManifestFiles(roots)) read(file, readText(file));
  }
  if (filePaths.length < paths.length) read(STDIN_NAME, stdin ?? '');
  const first = failed[0];
  if (first !== undefined) {
    const more =
      failed.length > 1 ? ` (and ${failed.length - 1} more files that do not parse)` : '';
    throw new InputError(
      `${locationText(first.location, cwd)}: ${first.message}${more}`,
      failed.map((f) => ({ code: 'parse-error', message: f.message, location: f.location })),
    );
  }
  const sets = inputSets(entries);
  if (sets.every((set) => set.objects.length === 0)) {
    const message = `no Kubernetes objects in ${paths.join(' ')}`;
    throw new InputError(message, [{ code: 'no-objects', message }]);
  }
  const model = loadOwners(filePaths, cwd, owners);
  const owned = sets.map((set) => ownSet(set, model));
  return { sets: owned.map((o) => o.set), refusals: owned.map((o) => o.refusals) };
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const message = `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`;
    throw new InputError(message, [{ code: 'unreadable', message }]);
  }
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

/** Loads and compiles the one set of objects under the paths, for the Gateway chosen. */
export function loadOne(
  paths: readonly string[],
  options: CompileFlagOptions,
  cwd: string,
  command: string,
): CompiledSet {
  const flags = compileFlags(options);
  // Refused objects are left out, as serve leaves them out; `check` is where they are reported.
  const set = singleSet(loadInputs(paths, cwd, undefined, options.owners).sets, command);
  const wanted = flags.gateway ?? set.caseFile?.info.gateway;
  const choice = selectGateway(
    set.objects.map((o) => o.value),
    wanted,
  );
  // No Gateway at all is not this command's error: compile reports what is missing.
  if (!choice.ok && choice.reason === 'none') return compileSet(set, flags);
  if (!choice.ok) {
    const code = choice.reason === 'ambiguous' ? 'gateway-ambiguous' : 'unknown-gateway';
    const message = choice.reason === 'not-found' ? `--gateway: ${choice.message}` : choice.message;
    throw new InputError(message, [{ code, message }]);
  }
  return compileSet(set, { ...flags, gateway: choice.gateway });
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
    const message = `--gateway ${wanted.namespace}/${wanted.name}: no such Gateway among the objects (${known === '' ? 'there are none' : `found: ${known}`})`;
    throw new InputError(message, [{ code: 'unknown-gateway', message }]);
  }
}
