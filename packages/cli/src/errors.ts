/**
 * The CLI's exit codes and the one error type that carries one. Every command ends in one of
 * these; `bin.ts` turns a thrown {@link CliError} into its one-line message and exit code.
 */

/** Exit codes, documented in `docs/cli.md`. */
export const EXIT = {
  /** Success; for `check`: every route is Accepted and ResolvedRefs, nothing dropped. */
  ok: 0,
  /** `check` found a route that is not Accepted/ResolvedRefs, dropped rules, or an error diagnostic. */
  findings: 1,
  /** Unusable input: a bad flag or argument, a missing path, a file that does not parse. */
  usage: 2,
  /** `serve` could not start (a port in use, a backend map that does not load). */
  runtime: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error the CLI reports as one line (`switchyard: <message>`) before exiting with `exitCode`. */
export class CliError extends Error {
  readonly exitCode: ExitCode;

  constructor(message: string, exitCode: ExitCode = EXIT.usage) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}
