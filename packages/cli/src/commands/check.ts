/**
 * `switchyard check <paths...>`: every route's status per parent, for humans, for scripts
 * (`--format json`) and for GitHub pull requests (`--format github`). Exit 0 when every route is
 * Accepted and ResolvedRefs with nothing dropped and no error finding, 1 otherwise, 2 on unusable
 * input (reported in the chosen format). `-n NS` judges only what namespace NS owns.
 */
import { Command, Option } from 'commander';
import { failureGithub, failureJson } from '../check/check-failure.js';
import {
  checkJson,
  formatCheckGithub,
  formatCheckText,
  type CheckedInput,
} from '../check/check-format.js';
import { checkReport, namespaceOf } from '../check/check-report.js';
import { scopeReport } from '../check/check-scope.js';
import { CliError, EXIT, InputError, inputProblems, type ExitCode } from '../errors.js';
import type { CliIo } from '../io.js';
import { compileSet, type InputSet } from '@switchyard/files';
import { displayPath } from '../report/paths.js';
import { discoverBackendsFile, loadBackendMap } from '../serve/backend-map.js';
import { serviceAddressesOf } from './addresses.js';
import { withOwnersOption, type OwnerRefusal } from './input-owners.js';
import {
  compileFlags,
  loadInputs,
  requireGateway,
  STDIN_PATH,
  withCompileOptions,
  type CompileFlagOptions,
} from './inputs.js';

export type CheckFormat = 'text' | 'json' | 'github';

interface CheckOptions extends CompileFlagOptions {
  readonly format: CheckFormat;
  readonly namespace?: string[];
  readonly backends?: string;
}

export function checkCommand(io: CliIo, done: (code: ExitCode) => void): Command {
  const command = new Command('check')
    .description(
      "Report every route's status per parent. Exit 0 when all are Accepted and ResolvedRefs, 1 when any is not, 2 on unusable input.",
    )
    .argument(
      '<paths...>',
      "YAML or JSON files and folders (folders are read recursively; case files are checked one by one); '-' reads standard input",
    )
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(['text', 'json', 'github'])
        .default('text'),
    )
    .addOption(
      new Option(
        '-n, --namespace <namespace>',
        "judge only this namespace's routes, diagnostics and findings (repeatable); everything given is still compiled",
      ).argParser(collectNamespace),
    )
    .addOption(
      new Option(
        '--backends <file>',
        'the backend map "ns/name:port" → URL, whose addresses Backends are compared with (default: backends.local.yaml in a checked folder, when there is one)',
      ),
    );
  withOwnersOption(withCompileOptions(command)).action(
    async (paths: string[], options: CheckOptions) => {
      try {
        const stdin = paths.includes(STDIN_PATH) ? await io.readStdin?.() : undefined;
        const inputs = checkInputs(paths, options, io.cwd, stdin);
        if (options.format === 'json')
          io.stdout(`${JSON.stringify(checkJson(inputs, io.cwd), null, 2)}\n`);
        else if (options.format === 'github') io.stdout(formatCheckGithub(inputs, io.cwd));
        else io.stdout(formatCheckText(inputs, io.cwd));
        done(inputs.every((i) => i.report.ok) ? EXIT.ok : EXIT.findings);
      } catch (error) {
        if (!(error instanceof CliError)) throw error;
        reportFailure(io, options.format, error);
        io.stderr(`switchyard: ${error.message}\n`);
        done(error.exitCode);
      }
    },
  );
  return command;
}

function checkInputs(
  paths: readonly string[],
  options: CheckOptions,
  cwd: string,
  stdin: string | undefined,
): CheckedInput[] {
  const backendsFile = options.backends ?? discoverBackendsFile(paths, cwd);
  const backends = loadBackendMap(backendsFile, [], cwd);
  const flags = { ...compileFlags(options), serviceAddresses: serviceAddressesOf(backends) };
  const { sets, refusals } = loadInputs(paths, cwd, stdin, options.owners);
  const source = paths.join(' ');
  const namespaces = options.namespace;
  if (namespaces !== undefined) requireNamespaces(sets, refusals.flat(), namespaces);
  return sets.map((set, i) => {
    const compiled = compileSet(set, flags);
    if (sets.length === 1) requireGateway(compiled, flags);
    const report = checkReport(compiled, refusals[i]);
    const counted = namespaces === undefined ? set : inScope(set, namespaces);
    return {
      source: set.caseFile === undefined ? source : displayPath(set.caseFile.file, cwd),
      ...(set.caseFile?.info.name === undefined ? {} : { caseName: set.caseFile.info.name }),
      ...(namespaces === undefined ? {} : { namespaces }),
      objectCount: counted.objects.length,
      fileCount: counted.fileCount,
      report: namespaces === undefined ? report : scopeReport(report, namespaces),
    };
  });
}

/**
 * A `-n` that names no namespace among the inputs is a typo, not a pass: `check -n paymnets`
 * would otherwise judge nothing and exit 0 in CI.
 */
function requireNamespaces(
  sets: readonly InputSet[],
  refusals: readonly OwnerRefusal[],
  namespaces: readonly string[],
): void {
  // A refused object is not in the namespace it claims; it counts for the folder that wrote it.
  const present = new Set([
    ...sets.flatMap((set) => set.objects.map((o) => namespaceOf(o.value))),
    ...refusals.flatMap((r) => r.offenders),
  ]);
  const missing = namespaces.filter((ns) => !present.has(ns));
  if (missing.length === 0) return;
  const known = [...present]
    .filter((ns) => ns !== undefined)
    .sort()
    .join(', ');
  const message = `-n ${missing.join(', ')}: no object in ${missing.length === 1 ? 'that namespace' : 'those namespaces'} among the inputs (namespaces present: ${known === '' ? 'none' : known})`;
  throw new InputError(message, [{ code: 'unknown-namespace', message }]);
}

/** The objects of a set that belong to the namespaces, and how many files hold them. */
function inScope(set: InputSet, namespaces: readonly string[]): InputSet {
  const objects = set.objects.filter((o) => namespaces.includes(namespaceOf(o.value) ?? ''));
  return { objects, fileCount: new Set(objects.map((o) => o.location.file)).size };
}

/**
 * Unusable input in the format asked for: one JSON document on stdout, or `::error` lines. The
 * one-line message on stderr and exit 2 stay (the caller writes them).
 */
export function reportFailure(io: CliIo, format: CheckFormat, error: CliError): void {
  if (format === 'json')
    io.stdout(`${JSON.stringify(failureJson(inputProblems(error), io.cwd), null, 2)}\n`);
  else if (format === 'github') io.stdout(failureGithub(inputProblems(error), io.cwd));
}

/** The format `check` was asked for in raw arguments, for errors found before options are read. */
export function requestedFormat(argv: readonly string[]): CheckFormat {
  for (const [i, arg] of argv.entries()) {
    const value = arg.startsWith('--format=')
      ? arg.slice(9)
      : arg === '--format'
        ? argv[i + 1]
        : undefined;
    if (value === 'json' || value === 'github') return value;
  }
  return 'text';
}

function collectNamespace(value: string, previous: string[] | undefined): string[] {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value) || value.length > 63)
    throw new CliError(`-n/--namespace must be a Kubernetes namespace name, got '${value}'`);
  return [...(previous ?? []), value];
}
