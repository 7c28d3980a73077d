/**
 * @switchyard/files: route tables from folders of YAML and JSON manifests, without the CLI.
 *
 * - load: find the manifest files under paths, parse multi-document YAML, `kind: List`, JSON and
 *   routing case files, each object with the file and line it is written at;
 * - watch: a {@link createFileSource | file source}, a `RouteSource` that re-reads what changed
 *   after a quiet period (atomic-rename safe) and swaps the table in one step;
 * - report: per-file problems as data (`ParseProblem`, `FileSourceReport`), never thrown.
 *
 * @example
 * ```ts
 * import { resolve } from '@switchyard/core';
 * import { createFileSource } from '@switchyard/files';
 *
 * const source = createFileSource({ paths: ['examples/delegation'], watch: false });
 * for (const problem of source.problems()) console.error(problem.location, problem.message);
 * const decision = resolve(source.current(), {
 *   method: 'GET',
 *   host: 'api.example.com',
 *   path: '/banking/accounts',
 * });
 * ```
 */
export { createFileSource } from './file-source/file-source.js';
export type { FileSource, FileSourceOptions, FileSourceReport } from './file-source/file-source.js';
export { diffResults, hasChanges, type TableChanges } from './file-source/diff.js';
export { watchRoots, type RootWatcher, type WatchHandlers } from './file-source/watch.js';
export {
  compileSet,
  inputSets,
  objectFinder,
  type CompileFlags,
  type CompiledSet,
  type InputSet,
} from './load/input-sets.js';
export {
  createManifestStore,
  type FileEntry,
  type ManifestStore,
  type RefreshResult,
} from './load/manifest-store.js';
export {
  parseManifestFile,
  type CaseFileInfo,
  type LocatedObject,
  type ParseProblem,
  type ParsedFile,
} from './load/parse-file.js';
export {
  droppedRulePath,
  fieldPathIn,
  findNode,
  nodeLocation,
  parseFieldPath,
  type SourceLocation,
} from './load/locate.js';
export {
  MissingPathError,
  findManifestFiles,
  resolveRoots,
  type InputRoot,
} from './load/find-files.js';
export { OwnersFileError } from './file-source/file-source.js';
export { findOwnersFile } from './file-source/engine.js';
export {
  gatewayKeys,
  keyText,
  sameGateway,
  selectGateway,
  type GatewayChoice,
  type GatewayKey,
} from './gateway/select-gateway.js';
export {
  OWNERS_FILE,
  ownerEntryOf,
  parseOwners,
  readOwnersFile,
  type OwnerEntry,
  type Owners,
  type OwnersRead,
} from './owners/owners-file.js';
export {
  applyOwners,
  objectRef,
  refText,
  type ObjectRef,
  type OwnedObjects,
  type OwnerRule,
  type Refusal,
} from './owners/apply-owners.js';
export { createWorkerFileSource, type WorkerFileSource } from './worker/worker-source.js';
export { PART_SIZE } from './worker/parts.js';
export {
  createCompileWorker,
  type CompileWorker,
  type CompileWorkerOptions,
} from './worker/compile-worker-client.js';
