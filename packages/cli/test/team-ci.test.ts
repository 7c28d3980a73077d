/**
 * The team CI recipe of docs/team-ci.md, run as written (the shell block between the recipe
 * markers) with the built CLI, for each team of examples/delegation: exit 0 on the example as is;
 * exit 1 with the annotation on the team's own file when that team's file is broken; and every
 * other team's result unchanged, whether it checks its own folder or every folder (rule 27).
 */
import { execFile } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binPath, ensureBuilt, exampleDir, repoRoot, runBuilt } from './helpers/built-cli.js';

const TEAMS = ['banking', 'insurance', 'payments'] as const;
let scratch: string;
let recipe: string;

beforeAll(async () => {
  await ensureBuilt();
  scratch = mkdtempSync(join(tmpdir(), 'switchyard-team-ci-'));
  const doc = readFileSync(join(repoRoot, 'docs/team-ci.md'), 'utf8');
  const block = /<!-- recipe:start -->\s*```sh[^\n]*\n([\s\S]*?)```\s*<!-- recipe:end -->/.exec(
    doc,
  )?.[1];
  if (block === undefined)
    throw new Error('docs/team-ci.md: no sh block between the recipe markers');
  recipe = join(scratch, 'check-team.sh');
  writeFileSync(recipe, block);
  chmodSync(recipe, 0o755);
}, 240_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
}

function runRecipe(
  cwd: string,
  team: string,
  format = 'github',
  dirs: Record<string, string> = { PLATFORM_DIR: 'platform', TEAM_DIR: team },
): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(
      'sh',
      [recipe],
      {
        cwd,
        env: {
          ...process.env,
          TEAM_NAMESPACE: team,
          ...dirs,
          FORMAT: format,
          SWITCHYARD: `${process.execPath} ${binPath}`,
        },
      },
      (error, stdout) => {
        if (error !== null && typeof error.code !== 'number') reject(error);
        else resolve({ code: error === null ? 0 : (error.code as number), stdout });
      },
    );
  });
}

/** A copy of the example in which `team` points its first backendRef at a Service that does not exist. */
function brokenCopy(team: string): string {
  const dir = mkdtempSync(join(scratch, `${team}-broken-`));
  cpSync(exampleDir, dir, { recursive: true });
  const file = join(dir, team, 'routes.yaml');
  const text = readFileSync(file, 'utf8');
  const broken = text.replace(/(backendRefs:\n\s+- name: )[a-z0-9-]+/, '$1ghost');
  expect(broken).not.toBe(text);
  writeFileSync(file, broken);
  return dir;
}

describe('the team CI recipe (docs/team-ci.md) on examples/delegation', () => {
  it('names the package that holds the switchyard bin, not the unrelated `switchyard` package', () => {
    expect(readFileSync(recipe, 'utf8')).toContain(
      'npx --yes --package @switchyard/cli switchyard',
    );
    const bin = JSON.parse(readFileSync(join(repoRoot, 'packages/cli/package.json'), 'utf8')).bin;
    expect(Object.keys(bin)).toContain('switchyard');
  });

  it.each(TEAMS)('%s: exit 0 on the example as is', async (team) => {
    const result = await runRecipe(exampleDir, team);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('::error');
  });

  it('with its defaults, in the layout of the GitHub workflow: the team repository at the root, the platform in .platform', async () => {
    const repo = mkdtempSync(join(scratch, 'payments-repo-'));
    cpSync(join(exampleDir, 'payments'), repo, { recursive: true });
    cpSync(join(exampleDir, 'platform'), join(repo, '.platform'), { recursive: true });
    const result = await runRecipe(repo, 'payments', 'text', {});
    expect(result.code).toBe(0);
    // The platform's files are read once (no duplicate-object warning), through .platform.
    expect(result.stdout).not.toContain('duplicate-object');
    expect(result.stdout).toMatch(
      /^\.platform \.: \d+ objects in namespace payments from 1 file$/m,
    );
    expect(result.stdout).toContain('payments/payments  HTTPRoute kgateway-system/api  True');
  });

  it.each(TEAMS)(
    "rule 27: %s breaks its file: its check fails on its own file, every other team's is unchanged",
    async (team) => {
      const others = TEAMS.filter((t) => t !== team);
      const before = new Map<string, Run>();
      for (const other of others) {
        before.set(`recipe ${other}`, await runRecipe(exampleDir, other));
        const all = await runBuilt(['check', '.', '-n', other, '--format', 'github'], {
          cwd: exampleDir,
        });
        before.set(`all ${other}`, { code: all.code, stdout: all.stdout });
      }
      const dir = brokenCopy(team);
      const broken = await runRecipe(dir, team);
      expect(broken.code).toBe(1);
      const files = [...broken.stdout.matchAll(/^::error file=([^,]+),line=\d+/gm)].map(
        (m) => m[1],
      );
      expect(files.length).toBeGreaterThan(0);
      expect(new Set(files)).toEqual(new Set([`${team}/routes.yaml`]));
      for (const other of others) {
        expect(await runRecipe(dir, other)).toEqual(before.get(`recipe ${other}`));
        const all = await runBuilt(['check', '.', '-n', other, '--format', 'github'], { cwd: dir });
        expect({ code: all.code, stdout: all.stdout }).toEqual(before.get(`all ${other}`));
      }
    },
    120_000,
  );
});
