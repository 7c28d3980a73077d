/**
 * `check` when the input is unusable (exit 2): the same facts in every format, so that a script
 * reading `--format json` always gets one JSON document and a pull request always gets an
 * annotation on the file that does not parse.
 */
import type { InputProblem } from '../errors.js';
import { displayPath } from '../report/paths.js';
import { workflowCommand } from './check-format.js';

/** `{ ok: false, errors: [{ code, message, file?, line?, column? }], inputs: [] }`. */
export function failureJson(problems: readonly InputProblem[], cwd: string): unknown {
  return {
    ok: false,
    errors: problems.map(({ location, ...problem }) => ({
      ...problem,
      ...(location === undefined
        ? {}
        : { file: displayPath(location.file, cwd), line: location.line, column: location.column }),
    })),
    inputs: [],
  };
}

/** One `::error` line per problem, then a summary line. */
export function failureGithub(problems: readonly InputProblem[], cwd: string): string {
  const lines = problems.map((problem) =>
    workflowCommand(
      'error',
      problem.location,
      `switchyard check: ${problem.code}`,
      problem.message,
      cwd,
    ),
  );
  const count = `${problems.length} ${problems.length === 1 ? 'error' : 'errors'}`;
  lines.push(`switchyard check: unusable input (${count})`);
  return `${lines.join('\n')}\n`;
}
