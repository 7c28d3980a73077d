/**
 * `switchyard explain <paths...> <METHOD> <URL> [-H 'Name: value']... [--json]`: where a request
 * lands and why, from the core's `explain`. Exit 0 whatever the decision (a 404 is an answer);
 * 2 on unusable input.
 */
import { explain } from '@switchyard/core';
import { Command } from 'commander';
import { CliError, EXIT, type ExitCode } from '../errors.js';
import { explainRequest } from '../explain/request-args.js';
import { formatExplanation } from '../explain/explain-text.js';
import type { CliIo } from '../io.js';
import { withOwnersOption } from './input-owners.js';
import { loadOne, withCompileOptions, type CompileFlagOptions } from './inputs.js';

interface ExplainOptions extends CompileFlagOptions {
  readonly header?: string[];
  readonly json?: boolean;
  readonly sni?: string;
}

export function explainCommand(io: CliIo, done: (code: ExitCode) => void): Command {
  const command = new Command('explain')
    .description(
      'Show where a request lands and why: the decision, every route tried, and the winning delegation chain.',
    )
    .usage('[options] <paths...> <METHOD> <URL>')
    .argument(
      '<paths...>',
      'manifest files and folders, followed by the METHOD and URL of the request (http://host[:port]/path?query, or /path with -H "Host: ...")',
    )
    .option('-H, --header <header>', "a request header, 'Name: value' (repeatable)", collect)
    .option(
      '--sni <name>',
      'TLS server name for https URLs (default: the URL host, as curl sends it)',
    )
    .option('--json', 'print { request, decision, trace } as JSON');
  withOwnersOption(withCompileOptions(command)).action(
    (args: string[], options: ExplainOptions) => {
      if (args.length < 3) {
        throw new CliError(
          'explain needs <paths...> <METHOD> <URL>, for example: switchyard explain ./manifests GET http://api.example.com/banking',
        );
      }
      const paths = args.slice(0, -2);
      const [method, url] = args.slice(-2) as [string, string];
      const request = explainRequest(method, url, options.header ?? [], options.sni);
      const compiled = loadOne(paths, options, io.cwd, 'explain');
      const { decision, trace } = explain(compiled.result.table, request);
      const { gateway } = compiled.result.table;
      if (options.json)
        io.stdout(`${JSON.stringify({ gateway, request, decision, trace }, null, 2)}\n`);
      else io.stdout(formatExplanation(request, decision, trace, compiled, io.cwd));
      done(EXIT.ok);
    },
  );
  return command;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
