// Whether a workspace package's dist/ is the build of its current inputs. A package is up to date
// when dist/.build-stamp holds the hash of everything its build reads: its own files (src,
// package.json, tsup and tsconfig files; not dist, node_modules or test), the shared build
// configuration, the lockfile, and the hashes of the workspace packages it depends on. Content
// hashes, not mtimes: a checkout that restores old files, or a clock that jumps, cannot make a
// stale dist look current.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const STAMP = '.build-stamp';
const SHARED = ['tsup.shared.ts', 'tsconfig.base.json', 'pnpm-lock.yaml'];
// Outputs and tests: `.tsbuild` is what `tsc --build` (typecheck) writes, which a build never reads.
const SKIPPED_DIRS = new Set(['dist', 'node_modules', 'test', '.tsbuild', 'coverage']);

function files(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) out.push(...files(join(dir, entry.name)));
    } else if (entry.isFile()) {
      out.push(join(dir, entry.name));
    }
  }
  return out;
}

/** The workspace packages with a build script, with their workspace dependencies. */
export function buildablePackages(root) {
  const dir = join(root, 'packages');
  const packages = new Map();
  for (const name of readdirSync(dir).sort()) {
    const manifestPath = join(dir, name, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    if (manifest.scripts?.build === undefined) continue;
    const deps = Object.entries({
      ...manifest.dependencies,
      ...manifest.peerDependencies,
      ...manifest.devDependencies,
    })
      .filter(([, range]) => String(range).startsWith('workspace:'))
      .map(([dep]) => dep);
    packages.set(manifest.name, { name: manifest.name, dir: join(dir, name), deps });
  }
  return packages;
}

export function inputHash(root, pkg, packages, memo = new Map()) {
  if (memo.has(pkg.name)) return memo.get(pkg.name);
  const hash = createHash('sha256');
  for (const file of [...SHARED.map((f) => join(root, f)), ...files(pkg.dir).sort()]) {
    if (!existsSync(file)) continue;
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  for (const dep of pkg.deps.sort()) {
    const other = packages.get(dep);
    if (other !== undefined) hash.update(dep).update(inputHash(root, other, packages, memo));
  }
  const digest = hash.digest('hex');
  memo.set(pkg.name, digest);
  return digest;
}

export function upToDate(pkg, hash) {
  const stamp = join(pkg.dir, 'dist', STAMP);
  return existsSync(stamp) && statSync(stamp).isFile() && readFileSync(stamp, 'utf8') === hash;
}
