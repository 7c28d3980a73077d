import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Every `.yaml`/`.yml` file below `dir`, absolute and sorted (as the CLI reads folders). */
export function listYaml(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.name.startsWith('.')) return [];
      if (entry.isDirectory()) return listYaml(path);
      return /\.ya?ml$/.test(entry.name) ? [path] : [];
    })
    .sort();
}
