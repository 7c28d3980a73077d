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
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STAMP, buildablePackages, inputHash, upToDate } from './build-stamp.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
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

const packages = buildablePackages(root);
const memo = new Map();
const stale = [...packages.values()].filter(
  (pkg) => !upToDate(pkg, inputHash(root, pkg, packages, memo)),
);
if (stale.length > 0) {
  const names = stale.map((pkg) => pkg.name.replace('@switchyard/', ''));
  const fresh = stale.every((pkg) => !existsSync(join(pkg.dir, 'dist')));
  const why = fresh ? 'first build, a minute or two' : 'changed since the last build';
  process.stderr.write(`setup: building ${names.join(', ')} (${why})...\n`);
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
