/**
 * @switchyard/cli: the `switchyard` command (`serve`, `check`, `explain`, `routes`, `graph`; see
 * `docs/cli.md`) and, for programs, the file source it serves from: a `RouteSource` over YAML and
 * JSON files and folders that recompiles on every change, keeps the last good objects of a file
 * that stops parsing, and swaps tables atomically.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { createFileSource } from '@switchyard/files';
 * import { createRequestListener, staticResolver } from '@switchyard/node';
 *
 * const source = createFileSource({
 *   paths: ['examples/delegation'],
 *   onReport: (report) => {
 *     if (report.kind === 'parse-error') console.error(report.problem.location, report.problem.message);
 *     if (report.kind === 'reload') console.log('+', report.changes.addedRoutes, '-', report.changes.removedRoutes);
 *   },
 * });
 * const listener = createRequestListener({
 *   source,
 *   port: 8080,
 *   resolver: staticResolver({ 'banking/accounts:8080': 'http://127.0.0.1:9101' }),
 * });
 * createServer(listener).listen(8080);
 * ```
 */
// The file source lives in @switchyard/files; re-exported so `@switchyard/cli` users keep it.
export { createFileSource, MissingPathError } from '@switchyard/files';
export type {
  CompileFlags,
  FileSource,
  FileSourceOptions,
  FileSourceReport,
  LocatedObject,
  ParseProblem,
  SourceLocation,
  TableChanges,
} from '@switchyard/files';
export { runCli } from './cli.js';
export type { CliIo } from './io.js';
export { CliError, EXIT } from './errors.js';
export type { ExitCode } from './errors.js';
