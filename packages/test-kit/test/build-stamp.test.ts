// The first-run speed of `start` and `test` rests on scripts/build-stamp.mjs deciding that a
// package's dist/ is current. Correctness first: any change to what a build reads, in the package
// or in a workspace package it depends on, must make it stale; a missing dist/ is stale; what a
// build does not read (tests, typecheck output) must not.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without declarations
import { STAMP, buildablePackages, inputHash, upToDate } from '../../../scripts/build-stamp.mjs';

interface Pkg {
  readonly name: string;
  readonly dir: string;
  readonly deps: readonly string[];
}
type Packages = Map<string, Pkg>;
const stamp = inputHash as (root: string, pkg: Pkg, packages: Packages) => string;
const current = upToDate as (pkg: Pkg, hash: string) => boolean;
const list = buildablePackages as (root: string) => Packages;

describe('build stamps (scripts/build-stamp.mjs)', () => {
  let root: string;

  function write(path: string, text: string): void {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }

  function pkg(name: string, deps: Record<string, string> = {}): void {
    write(
      `packages/${name}/package.json`,
      JSON.stringify({ name: `@x/${name}`, scripts: { build: 'tsup' }, dependencies: deps }),
    );
    write(`packages/${name}/src/index.ts`, `export const name = '${name}';\n`);
  }

  /** Marks every package built from its current inputs, as setup.mjs does after a build. */
  function buildAll(): void {
    const packages = list(root);
    for (const p of packages.values()) {
      mkdirSync(join(p.dir, 'dist'), { recursive: true });
      writeFileSync(join(p.dir, 'dist', STAMP as string), stamp(root, p, packages));
    }
  }

  function stale(): string[] {
    const packages = list(root);
    return [...packages.values()]
      .filter((p) => !current(p, stamp(root, p, packages)))
      .map((p) => p.name)
      .sort();
  }

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'swy-stamp-'));
    write('pnpm-lock.yaml', 'lockfileVersion: 9\n');
    write('tsup.shared.ts', 'export {};\n');
    pkg('core');
    pkg('node', { '@x/core': 'workspace:*' });
    pkg('cli', { '@x/node': 'workspace:*', yaml: '^2' });
    write('packages/test-kit/package.json', JSON.stringify({ name: '@x/test-kit' })); // no build
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('a fresh clone (no dist/) builds every package with a build script', () => {
    expect(stale()).toEqual(['@x/cli', '@x/core', '@x/node']);
  });

  it('nothing is stale right after a build, nor after a test or typecheck output changes', () => {
    buildAll();
    expect(stale()).toEqual([]);
    write('packages/core/test/a.test.ts', 'it();\n');
    write('packages/core/.tsbuild/src/index.d.ts', 'export {};\n');
    expect(stale()).toEqual([]);
  });

  it('a source change makes the package and every package that depends on it stale', () => {
    buildAll();
    write('packages/core/src/index.ts', "export const name = 'core 2';\n");
    expect(stale()).toEqual(['@x/cli', '@x/core', '@x/node']);
    buildAll();
    write('packages/cli/src/bin.ts', 'export {};\n');
    expect(stale()).toEqual(['@x/cli']);
  });

  it('the lockfile, the shared build config and a package.json count as inputs', () => {
    for (const change of [
      () => write('pnpm-lock.yaml', 'lockfileVersion: 9\n# changed\n'),
      () => write('tsup.shared.ts', 'export const x = 1;\n'),
    ]) {
      buildAll();
      change();
      expect(stale()).toEqual(['@x/cli', '@x/core', '@x/node']);
    }
    buildAll();
    write('packages/node/tsup.config.ts', 'export default {};\n');
    expect(stale()).toEqual(['@x/cli', '@x/node']);
  });

  it('a dist/ without its stamp (a build that failed or was interrupted) is stale', () => {
    buildAll();
    rmSync(join(root, 'packages/node/dist', STAMP as string));
    expect(stale()).toEqual(['@x/node']);
  });

  it('restoring the old content makes it current again: hashes, not times', () => {
    buildAll();
    write('packages/core/src/index.ts', "export const name = 'other';\n");
    write('packages/core/src/index.ts', "export const name = 'core';\n");
    expect(stale()).toEqual([]);
  });
});
