// docs/security.md names, for every threat, the module that defends against it and the test that
// proves it. A page that cites a test which was moved or deleted would claim a proof that no
// longer runs, so every repository path it cites in backticks must exist: from the repository
// root, or under `packages/` for module paths that start with a package name (`core/src/...`).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const PAGE = 'docs/security.md';

/** A backticked token that names a file (by its extension) or a folder (a trailing slash). */
const PATH_LIKE = /^[\w.@-]+(?:\/[\w.@-]+)*(?:\.(?:ts|mjs|js|json|ya?ml|md)|\/)$/;

function citedPaths(markdown: string): string[] {
  const paths = new Set<string>();
  for (const [, token] of markdown.matchAll(/`([^`\s]+)`/g)) {
    if (token!.includes('/') && PATH_LIKE.test(token!)) paths.add(token!);
  }
  return [...paths].sort();
}

function exists(path: string): boolean {
  return existsSync(join(root, path)) || existsSync(join(root, 'packages', path));
}

describe('docs/security.md cites only what exists', () => {
  const cited = citedPaths(readFileSync(join(root, PAGE), 'utf8'));

  it('the page cites modules and tests (the extraction finds them)', () => {
    expect(cited.length).toBeGreaterThan(40);
    expect(cited.some((p) => p.endsWith('.test.ts'))).toBe(true);
  });

  it('every cited repository path exists', () => {
    expect(cited.filter((p) => !exists(p))).toEqual([]);
  });

  it('a path that does not exist is caught', () => {
    const [gone] = citedPaths('see `packages/node/test/attacks/gone.test.ts`');
    expect(gone).toBe('packages/node/test/attacks/gone.test.ts');
    expect(exists(gone!)).toBe(false);
  });
});
