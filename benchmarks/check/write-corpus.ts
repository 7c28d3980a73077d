/**
 * Writes the shared corpus (`../corpus/generate.ts`) as a folder of YAML files the way teams keep
 * them: the platform's objects in `platform.yaml`, one file per team namespace.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { generateCorpus } from '../corpus/generate.js';

/**
 * Writes a corpus of `routes` flattened routes under `dir`; returns the number of files. With
 * `broken`, the Services are left out: every child route is `ResolvedRefs=False` and `check` must
 * locate a problem in every document.
 */
export function writeCorpus(dir: string, routes: number, broken = false): number {
  const byFile = new Map<string, unknown[]>();
  for (const object of generateCorpus(routes).objects) {
    if (broken && object.kind === 'Service') continue;
    const metadata = object.metadata as { namespace?: string; name: string };
    const namespace = object.kind === 'Namespace' ? metadata.name : (metadata.namespace ?? '');
    const file = namespace.startsWith('team-') ? `${namespace}.yaml` : 'platform.yaml';
    byFile.set(file, [...(byFile.get(file) ?? []), object]);
  }
  mkdirSync(dir, { recursive: true });
  for (const [file, objects] of byFile) {
    writeFileSync(join(dir, file), objects.map((o) => stringify(o)).join('---\n'));
  }
  return byFile.size;
}
