/**
 * @switchyard/cli: the `switchyard` command (`serve`, `check`, `explain`, `routes`, `graph`; see
 * `docs/cli.md`) and, for programs, the file source it serves from: a `RouteSource` over YAML and
 * JSON files and folders that recompiles on every change, keeps the last good objects of a file
 * that stops parsing, and swaps tables atomically.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { createFileSource } from '@switchyard/cli';
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
export { createFileSource } from './file-source/file-source.js';
export type { FileSource, FileSourceOptions, FileSourceReport } from './file-source/file-source.js';
export type { TableChanges } from './file-source/diff.js';
export type { CompileFlags } from './load/input-sets.js';
export type { LocatedObject, ParseProblem } from './load/parse-file.js';
export type { SourceLocation } from './load/locate.js';
export { MissingPathError } from './load/find-files.js';
export { runCli } from './cli.js';
export type { CliIo } from './io.js';
export { CliError, EXIT } from './errors.js';
export type { ExitCode } from './errors.js';
