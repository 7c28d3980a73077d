// Checks what each published package would ship: `publint --strict` (package.json against the
// packed files) and `attw` (Are the Types Wrong: types per resolution mode and per condition).
// Needs the packages built first (`pnpm build`); prints one line per package and exits 1 on any
// problem. Works offline: each package is packed locally, once, and both tools read that tarball.
//
// Why one `pnpm pack` instead of `attw --pack` (which runs `npm pack`) and publint's own pack:
// `pnpm pack` is what `pnpm publish` ships (it rewrites `workspace:*` to real versions), and one
// pack per package instead of two keeps the check short. The tools read the same tarball either way.
//
// Run it through pnpm (`npx -y pnpm@10 run check:packages`) so `pnpm` is on PATH.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';

const root = new URL('..', import.meta.url).pathname;
const bin = (name) => join(root, 'node_modules', '.bin', name);

/**
 * attw's default profile ("strict") also checks `moduleResolution: node10`, which ignores
 * `exports` and so cannot see subpath entries. `@switchyard/kubernetes/testing` is such a subpath
 * (the fake API server for tests of packages built on the source); its root entry still resolves
 * under node10, and Node >= 20.11 (our `engines`) and TypeScript's node16/bundler modes read
 * `exports`. So that package alone is checked with the node16 profile (node16 + bundler).
 */
const ATTW_PROFILE = { '@switchyard/kubernetes': 'node16' };
const attwProfile = (name) => ATTW_PROFILE[name] ?? 'strict';

/** An exports map without the workspace-only `source` condition. */
function withoutSource(exports) {
  if (typeof exports !== 'object' || exports === null) return exports;
  return Object.fromEntries(
    Object.entries(exports)
      .filter(([condition]) => condition !== 'source')
      .map(([key, value]) => [key, withoutSource(value)]),
  );
}

/**
 * Inside the workspace `exports` carries a `source` condition (TypeScript sources, for vitest,
 * tsc's `customConditions` and `node --conditions=source`). It must not be published: a consumer
 * whose own monorepo uses a `source` condition would resolve to our `.ts` files. `pnpm pack` and
 * `pnpm publish` replace `exports` with `publishConfig.exports`, which must therefore be the same
 * map minus `source`; this catches the two drifting apart.
 */
function publishedExportsProblem(manifest) {
  const expected = withoutSource(manifest.exports);
  if (isDeepStrictEqual(manifest.publishConfig?.exports, expected)) return undefined;
  return `publishConfig.exports must equal exports without the "source" condition:\n${JSON.stringify(expected, null, 2)}`;
}

/** Published packages: every non-private package under packages/ (not test-kit, benchmarks, examples). */
function publishedPackages() {
  return readdirSync(join(root, 'packages'))
    .map((name) => join(root, 'packages', name))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
    .filter(({ manifest }) => manifest.private !== true)
    .sort((a, b) => a.manifest.name.localeCompare(b.manifest.name));
}

/** Runs a command; resolves with its exit code and combined output (never rejects). */
function run(command, args, cwd) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => resolve({ code: 1, output: `${output}${error.message}\n` }));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** Packs, then lints one package; returns the problems found (empty when it passes). */
async function checkPackage({ dir, manifest }) {
  const main = manifest.main && join(dir, manifest.main);
  if (main && !existsSync(main)) return [`${manifest.main} is missing: build first (pnpm build)`];
  const exportsProblem = publishedExportsProblem(manifest);
  if (exportsProblem) return [exportsProblem];

  const out = mkdtempSync(join(tmpdir(), 'switchyard-pack-'));
  try {
    const pack = await run(
      'pnpm',
      ['pack', '--pack-destination', out, '--config.ignore-scripts=true'],
      dir,
    );
    const tarball = readdirSync(out).find((file) => file.endsWith('.tgz'));
    if (pack.code !== 0 || !tarball) return [`pnpm pack failed:\n${pack.output}`];
    const tgz = join(out, tarball);

    const profile = attwProfile(manifest.name);
    const [publint, attw] = await Promise.all([
      run(bin('publint'), ['run', tgz, '--strict'], dir),
      run(bin('attw'), [tgz, '--profile', profile, '--format', 'ascii', '--no-emoji'], dir),
    ]);
    const problems = [];
    if (publint.code !== 0) problems.push(`publint --strict:\n${publint.output}`);
    if (attw.code !== 0) problems.push(`attw --profile ${profile}:\n${attw.output}`);
    return problems;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const started = performance.now();
const packages = publishedPackages();
// Two at a time: each attw run loads TypeScript, and CI machines have two cores.
const results = new Array(packages.length);
let next = 0;
async function worker() {
  while (next < packages.length) {
    const index = next++;
    const began = performance.now();
    results[index] = {
      problems: await checkPackage(packages[index]),
      ms: performance.now() - began,
    };
  }
}
await Promise.all([worker(), worker()]);

let failed = 0;
for (const [index, { manifest }] of packages.entries()) {
  const { problems, ms } = results[index];
  const time = `${(ms / 1000).toFixed(1)}s`;
  if (problems.length === 0) {
    console.log(
      `ok    ${manifest.name} (publint --strict, attw --profile ${attwProfile(manifest.name)}) ${time}`,
    );
    continue;
  }
  failed++;
  console.log(`FAIL  ${manifest.name} ${time}`);
  for (const problem of problems) console.log(problem.replace(/^/gm, '      '));
}
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`${packages.length - failed} of ${packages.length} packages pass (${seconds}s)`);
process.exit(failed > 0 ? 1 : 0);
