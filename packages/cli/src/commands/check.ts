/**
 * `switchyard check <paths...>`: every route's status per parent, for humans, for scripts
 * (`--format json`) and for GitHub pull requests (`--format github`). Exit 0 when every route is
 * Accepted and ResolvedRefs with nothing dropped, 1 otherwise, 2 on unusable input.
 */
import { Command, Option } from 'commander';
import { checkReport } from '../check/check-report.js';
import {
  checkJson,
  formatCheckGithub,
  formatCheckText,
  type CheckedInput,
} from '../check/check-format.js';
import { EXIT, type ExitCode } from '../errors.js';
import type { CliIo } from '../io.js';
import { compileSet } from '@switchyard/files';
import { displayPath } from '../report/paths.js';
import {
  compileFlags,
  loadInputs,
  requireGateway,
  withCompileOptions,
  type CompileFlagOptions,
} from './inputs.js';

interface CheckOptions extends CompileFlagOptions {
  readonly format: 'text' | 'json' | 'github';
}

export function checkCommand(io: CliIo, done: (code: ExitCode) => void): Command {
  const command = new Command('check')
    .description(
      "Report every route's status per parent. Exit 0 when all are Accepted and ResolvedRefs, 1 when any is not, 2 on unusable input.",
    )
    .argument(
      '<paths...>',
      'YAML or JSON files and folders (folders are read recursively; case files are checked one by one)',
    )
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(['text', 'json', 'github'])
        .default('text'),
    );
  withCompileOptions(command).action((paths: string[], options: CheckOptions) => {
    const flags = compileFlags(options);
    const { sets } = loadInputs(paths, io.cwd);
    const source = paths.join(' ');
    const inputs: CheckedInput[] = sets.map((set) => {
      const compiled = compileSet(set, flags);
      if (sets.length === 1) requireGateway(compiled, flags);
      return {
        source: set.caseFile === undefined ? source : displayPath(set.caseFile.file, io.cwd),
        ...(set.caseFile?.info.name === undefined ? {} : { caseName: set.caseFile.info.name }),
        objectCount: set.objects.length,
        fileCount: set.fileCount,
        report: checkReport(compiled),
      };
    });
    if (options.format === 'json')
      io.stdout(`${JSON.stringify(checkJson(inputs, io.cwd), null, 2)}\n`);
    else if (options.format === 'github') io.stdout(formatCheckGithub(inputs, io.cwd));
    else io.stdout(formatCheckText(inputs, io.cwd));
    done(inputs.every((i) => i.report.ok) ? EXIT.ok : EXIT.findings);
  });
  return command;
}
