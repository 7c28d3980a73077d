/**
 * The `switchyard` program: its commands, and the rule that every failure is one line on stderr
 * and a documented exit code (`errors.ts`), never a stack trace.
 */
import { Command, CommanderError } from 'commander';
import packageJson from '../package.json' with { type: 'json' };
import { checkCommand, reportFailure, requestedFormat } from './commands/check.js';
import { explainCommand } from './commands/explain.js';
import { graphCommand } from './commands/graph.js';
import { routesCommand } from './commands/routes.js';
import { serveCommand } from './commands/serve.js';
import { CliError, EXIT, type ExitCode } from './errors.js';
import { processIo, type CliIo } from './io.js';

/**
 * Runs the CLI with `argv` (the arguments after `switchyard`) and resolves to the exit code.
 * Nothing calls `process.exit`: `bin.ts` does, so commands can run in-process in tests.
 *
 * @example
 * ```ts
 * const code = await runCli(['check', 'examples/delegation', '--format', 'json']);
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<ExitCode> {
  let exitCode: ExitCode = EXIT.ok;
  const done = (code: ExitCode): void => {
    exitCode = code;
  };
  const program = new Command('switchyard')
    .description(
      'Gateway API route delegation from a folder of manifests: serve it, check it, explain it.',
    )
    .version(packageJson.version, '-V, --version')
    .addHelpText(
      'after',
      '\nExit codes: 0 ok, 1 check found problems, 2 unusable input (bad flag, path or file), 3 serve could not start.\nDocs: the README of @switchyard/cli; the full reference is docs/cli.md in the Switchyard repository.',
    );
  const commands = [
    serveCommand(io, done),
    checkCommand(io, done),
    explainCommand(io, done),
    routesCommand(io, done),
    graphCommand(io, done),
  ];
  for (const command of [program, ...commands]) configure(command, io);
  for (const command of commands) program.addCommand(command);

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version')
        return EXIT.ok;
      // `check --format json` answers in JSON even when its arguments are wrong.
      if (argv[0] === 'check')
        reportFailure(
          io,
          requestedFormat(argv),
          new CliError(error.message.replace(/^error: /, '')),
        );
      return EXIT.usage;
    }
    if (error instanceof CliError) {
      if (argv[0] === 'check') reportFailure(io, requestedFormat(argv), error);
      io.stderr(`switchyard: ${error.message}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    if (argv[0] === 'check')
      reportFailure(
        io,
        requestedFormat(argv),
        new CliError(`unexpected error: ${message}`, EXIT.runtime),
      );
    io.stderr(`switchyard: unexpected error: ${message}\n`);
    if (io.env.SWITCHYARD_DEBUG && error instanceof Error && error.stack)
      io.stderr(`${error.stack}\n`);
    return EXIT.runtime;
  }
}

/** Commander's errors become `switchyard <command>: <what> (see ... --help)`, one line. */
function configure(command: Command, io: CliIo): void {
  const name = command.name() === 'switchyard' ? 'switchyard' : `switchyard ${command.name()}`;
  command.exitOverride();
  command.showSuggestionAfterError(true);
  command.configureOutput({
    writeOut: (text) => io.stdout(text),
    writeErr: (text) => io.stderr(text),
    outputError: (text) => {
      const message = text
        .trim()
        .replace(/^error: /, '')
        .replace(/\n+/g, ' ');
      io.stderr(`${name}: ${message} (see '${name} --help')\n`);
    },
  });
}
