// `pnpm start` / `pnpm test` set-up: install from the lockfile, then build only the packages whose
// inputs changed since their last successful build. Quiet when all is well (one line); the tools'
// whole output when something fails.
//
// A package is up to date when dist/.build-stamp holds the hash of everything its build reads:
// its own files (src, package.json, tsup and tsconfig files), the shared build configuration, the
// lockfile, and the stamps of the workspace packages it depends on. tsup empties dist/ when a
// build starts and the stamp is written only after it succeeds, so a failed or interrupted build
// is never taken for a good one, and a fresh clone (no dist/) builds everything.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const STAMP = '.build-stamp';
const SHARED = ['tsup.shared.ts', 'tsconfig.base.json', 'pnpm-lock.yaml'];
const SKIPPED_DIRS = new Set(['dist', 'node_modules', 'test', '.turbo']);

/** pnpm as the user ran it (`npx pnpm@10 start` sets npm_execpath), else `npx --yes pnpm@10`. */
function pnpm(args) {
  const execpath = process.env.npm_execpath;
  const options = { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 };
  if (execpath && /pnpm/.test(execpath)) {
    return spawnSync(process.execPath, [execpath, ...args], options);
  }
  const shell = process.platform === 'win32';
  return spawnSync('npx', ['--yes', 'pnpm@10', ...args], { ...options, shell });
}

function fail(what, result) {
  process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
  if (result.error) process.stderr.write(`${result.error.message}\n`);
  process.stderr.write(`\nsetup failed: ${what} (its output is above)\n`);
  process.exit(result.status || 1);
}

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
function buildablePackages() {
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

function inputHash(pkg, packages, memo) {
  if (memo.has(pkg.name)) return memo.get(pkg.name);
  const hash = createHash('sha256');
  for (const file of [...SHARED.map((f) => join(root, f)), ...files(pkg.dir).sort()]) {
    if (!existsSync(file)) continue;
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  for (const dep of pkg.deps.sort()) {
    const other = packages.get(dep);
    if (other !== undefined) hash.update(dep).update(inputHash(other, packages, memo));
  }
  const digest = hash.digest('hex');
  memo.set(pkg.name, digest);
  return digest;
}

function upToDate(pkg, hash) {
  const stamp = join(pkg.dir, 'dist', STAMP);
  return existsSync(stamp) && statSync(stamp).isFile() && readFileSync(stamp, 'utf8') === hash;
}

/**
 * True when the last install is current: pnpm keeps a copy of the lockfile it installed from in
 * node_modules/.pnpm/lock.yaml, and no package.json changed after that install (a dependency
 * added to a package.json but not to the lockfile must still reach `pnpm install`, which fails).
 */
function installCurrent() {
  const installed = join(root, 'node_modules', '.pnpm', 'lock.yaml');
  const marker = join(root, 'node_modules', '.modules.yaml');
  if (!existsSync(installed) || !existsSync(marker)) return false;
  if (!readFileSync(installed).equals(readFileSync(join(root, 'pnpm-lock.yaml')))) return false;
  const since = statSync(marker).mtimeMs;
  const manifests = [join(root, 'package.json')];
  for (const dir of ['packages', 'examples']) {
    for (const name of readdirSync(join(root, dir)))
      manifests.push(join(root, dir, name, 'package.json'));
  }
  manifests.push(join(root, 'benchmarks', 'package.json'));
  return manifests.every((file) => !existsSync(file) || statSync(file).mtimeMs <= since);
}

const started = Date.now();
if (!installCurrent()) {
  if (!existsSync(join(root, 'node_modules', '.modules.yaml'))) {
    process.stderr.write('setup: installing dependencies (first run)...\n');
  }
  const install = pnpm(['install', '--frozen-lockfile', '--reporter=append-only']);
  if (install.status !== 0) fail('pnpm install --frozen-lockfile', install);
}

const packages = buildablePackages();
const memo = new Map();
const stale = [...packages.values()].filter(
  (pkg) => !upToDate(pkg, inputHash(pkg, packages, memo)),
);
if (stale.length > 0) {
  const names = stale.map((pkg) => pkg.name.replace('@switchyard/', ''));
  process.stderr.write(`setup: building ${names.join(', ')} (changed since the last build)...\n`);
  // One pnpm run: it orders the builds by dependency and runs independent ones side by side.
  const filters = stale.flatMap((pkg) => ['--filter', pkg.name]);
  const build = pnpm(['-r', ...filters, 'run', 'build']);
  if (build.status !== 0) fail(`build of ${names.join(', ')}`, build);
  for (const pkg of stale) writeFileSync(join(pkg.dir, 'dist', STAMP), memo.get(pkg.name));
}
const seconds = ((Date.now() - started) / 1000).toFixed(1);
process.stderr.write(
  stale.length === 0
    ? `setup: dependencies installed, packages up to date (${seconds} s)\n`
    : `setup: built ${stale.length} of ${packages.size} packages (${seconds} s)\n`,
);
