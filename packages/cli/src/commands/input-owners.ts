/**
 * The owners model of file mode, applied by the one-shot commands (`check`, `routes`, `explain`,
 * `graph`) exactly as `serve` applies it: the same owners file (`findOwnersFile`: `--owners`, else
 * `owners.yaml` at the top of the first path) and the files package's own `applyOwners`. A refused
 * object is not compiled; `check` reports it against the namespaces of the folder that wrote it
 * (the offender), never against the namespace the object claims (the victim).
 */
import { Option, type Command } from 'commander';
import {
  applyOwners,
  findOwnersFile,
  MissingPathError,
  ownerEntryOf,
  readOwnersFile,
  type InputSet,
  type Owners,
  type Refusal,
} from '@switchyard/files';
import { InputError } from '../errors.js';
import { locationText } from '../report/paths.js';

/** A refused object, with the namespaces its folder owns: whose `check -n` it fails. */
export interface OwnerRefusal extends Refusal {
  /** Empty when the file is in no folder the owners file names. */
  readonly offenders: readonly string[];
}

/** Adds `--owners <file>` to a one-shot command. */
export function withOwnersOption(command: Command): Command {
  return command.addOption(
    new Option(
      '--owners <file>',
      'which folder may declare which namespaces and Gateways, as serve applies it (default: owners.yaml at the top of the first path, when there is one)',
    ),
  );
}

/**
 * The owners file governing `paths` (files and folders, not `-`), read and checked; undefined
 * when there is none. A missing `--owners` file or a malformed owners file is unusable input.
 */
export function loadOwners(
  paths: readonly string[],
  cwd: string,
  explicit: string | undefined,
): Owners | undefined {
  let file: string | undefined;
  try {
    file = findOwnersFile(paths, cwd, explicit);
  } catch (error) {
    if (error instanceof MissingPathError)
      throw new InputError(`--owners: ${error.message}`, [
        { code: 'missing-path', message: `--owners: ${error.message}` },
      ]);
    throw error;
  }
  if (file === undefined) return undefined;
  const read = readOwnersFile(file);
  if (read.ok) return read.owners;
  const { location, message } = read.problem;
  throw new InputError(`${locationText(location, cwd)}: owners file: ${message}`, [
    { code: 'owners-file', message: `owners file: ${message}`, location },
  ]);
}

/** The set without the objects `owners` refuses, and the refusals. */
export function ownSet(
  set: InputSet,
  owners: Owners | undefined,
): { readonly set: InputSet; readonly refusals: readonly OwnerRefusal[] } {
  const { objects, refusals } = applyOwners(set.objects, owners);
  if (owners === undefined || refusals.length === 0) return { set, refusals: [] };
  const fileCount = new Set(objects.map((o) => o.location.file)).size;
  return {
    set: { ...set, objects, fileCount },
    refusals: refusals.map((refusal) => ({
      ...refusal,
      offenders: ownerEntryOf(owners, refusal.location.file)?.namespaces ?? [],
    })),
  };
}
