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

/** One reason the input is unusable, as data: `check --format json|github` prints these. */
export interface InputProblem {
  /** `parse-error`, `missing-path`, `unreadable`, `no-objects`, `unknown-gateway`, `gateway-ambiguous`, `unknown-namespace`, `usage`, `unexpected`. */
  readonly code: string;
  /** One line, without the position. */
  readonly message: string;
  readonly location?: { readonly file: string; readonly line: number; readonly column: number };
}

/** Unusable input (exit 2) that carries its problems as data, e.g. every file that does not parse. */
export class InputError extends CliError {
  readonly problems: readonly InputProblem[];

  constructor(message: string, problems: readonly InputProblem[]) {
    super(message, EXIT.usage);
    this.name = 'InputError';
    this.problems = problems;
  }
}

/** The problems an error stands for: its own list, or its message as one `usage` problem. */
export function inputProblems(error: CliError): readonly InputProblem[] {
  if (error instanceof InputError) return error.problems;
  return [
    { code: error.exitCode === EXIT.runtime ? 'unexpected' : 'usage', message: error.message },
  ];
}
