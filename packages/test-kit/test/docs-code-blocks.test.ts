// Every code block in README.md, docs/*.md, packages/*/README.md and examples/*/README.md runs
// here, or is marked illustrative: a block whose
// info string carries the word `illustrative` (```ts illustrative), or every block of a file that
// starts with the comment `<!-- code blocks: illustrative -->`. Runnable kinds:
//
// - `ts`: written next to an example package (so `@switchyard/*` resolve to the workspace
//   sources) and imported; it must finish and close what it opens. Blocks that import
//   `@switchyard/fastify` go next to examples/fastify, the others next to examples/express.
//   Workspace packages the example does not depend on (examples/fastify has no `@switchyard/files`,
//   which the package READMEs use) are linked into the scratch folder's own node_modules.
// - `yaml`: parsed as YAML documents and compiled by the core, which must not throw.
// - `sh`: every line must be `node packages/cli/dist/bin.js ...` (comments after `#` allowed)
//   and exit 0 or 1 (1 = findings) against the built CLI; skipped, saying so, when it is not built.
// A block right after `<!-- recipe:start -->` (docs/team-ci.md) is run as written by
// packages/cli/test/team-ci.test.ts, for every team of the example, so it is not run again here.
// Relative links must name files that exist.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { compile } from '@switchyard/core';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = join(root, 'packages/cli/dist/bin.js');
const RUNNABLE = new Set(['ts', 'yaml', 'sh']);
const FILE_MARK = '<!-- code blocks: illustrative -->';
const RECIPE_MARK = '<!-- recipe:start -->';

interface Block {
  readonly file: string;
  readonly line: number;
  readonly lang: string;
  readonly illustrative: boolean;
  readonly code: string;
}

function blocksOf(file: string): Block[] {
  const text = readFileSync(join(root, file), 'utf8');
  const allIllustrative = text.includes(FILE_MARK);
  const lines = text.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    // Only top-level fences: blocks nested in a four-backtick block are part of that block.
    const open = /^(`{3,})(.*)$/.exec(lines[i]!);
    if (open === null) continue;
    const fence = open[1]!;
    const info = open[2]!.trim().split(/\s+/);
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i] !== fence; i++) body.push(lines[i]!);
    blocks.push({
      file,
      line: start + 1,
      lang: info[0] ?? '',
      illustrative:
        allIllustrative ||
        info.includes('illustrative') ||
        lines.slice(Math.max(0, start - 2), start).includes(RECIPE_MARK),
      code: body.join('\n'),
    });
  }
  return blocks;
}

/** The README of every package and example: the page a newcomer reads first. */
function readmesUnder(folder: string): string[] {
  return readdirSync(join(root, folder), { withFileTypes: true })
    .filter(
      (entry) => entry.isDirectory() && existsSync(join(root, folder, entry.name, 'README.md')),
    )
    .map((entry) => `${folder}/${entry.name}/README.md`)
    .sort();
}

const files = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`),
  ...readmesUnder('packages'),
  ...readmesUnder('examples'),
];
const blocks = files.flatMap(blocksOf);
const scratch = [
  join(root, 'examples/express/.doc-blocks'),
  join(root, 'examples/fastify/.doc-blocks'),
];

/** Makes the scratch folder and links every workspace package its example lacks into it. */
function prepareScratch(dir: string): void {
  mkdirSync(join(dir, 'node_modules/@switchyard'), { recursive: true });
  for (const name of readdirSync(join(root, 'packages'))) {
    if (!existsSync(join(root, 'packages', name, 'package.json'))) continue;
    const link = join(dir, 'node_modules/@switchyard', name);
    if (existsSync(join(dir, '../node_modules/@switchyard', name)) || existsSync(link)) continue;
    symlinkSync(join(root, 'packages', name), link, 'dir');
  }
}

afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

describe('code blocks in README.md, docs/*.md and the package and example READMEs', () => {
  it('each block is runnable (ts, yaml, sh) or marked illustrative', () => {
    const unmarked = blocks
      .filter((b) => !b.illustrative && !RUNNABLE.has(b.lang))
      .map((b) => `${b.file}:${b.line} (${b.lang || 'no language'})`);
    expect(unmarked).toEqual([]);
  });

  it('every relative link of these files names a file or folder that exists', () => {
    const broken: string[] = [];
    for (const file of files) {
      const text = readFileSync(join(root, file), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target!) || target!.startsWith('#')) continue;
        const path = target!.split('#')[0]!;
        if (!existsSync(join(root, file, '..', path))) broken.push(`${file}: ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  const runnable = blocks.filter((b) => !b.illustrative && RUNNABLE.has(b.lang));
  it.each(runnable.filter((b) => b.lang === 'ts').map((b) => [`${b.file}:${b.line}`, b] as const))(
    'ts %s runs',
    async (name, block) => {
      const dir = block.code.includes('@switchyard/fastify') ? scratch[1]! : scratch[0]!;
      prepareScratch(dir);
      const path = join(dir, `${name.replace(/[^a-z0-9]+/gi, '-')}.ts`);
      writeFileSync(path, `${block.code}\nexport {};\n`);
      await import(pathToFileURL(path).href);
    },
  );

  it.each(
    runnable.filter((b) => b.lang === 'yaml').map((b) => [`${b.file}:${b.line}`, b] as const),
  )('yaml %s parses and compiles', (_name, block) => {
    const documents = parseAllDocuments(block.code);
    for (const document of documents) expect(document.errors).toEqual([]);
    const objects = documents.map((document) => document.toJS() as unknown);
    expect(() => compile(objects as Parameters<typeof compile>[0])).not.toThrow();
  });

  const shell = runnable.filter((b) => b.lang === 'sh');
  const built = existsSync(cli);
  it.skipIf(!built).each(shell.map((b) => [`${b.file}:${b.line}`, b] as const))(
    built
      ? 'sh %s runs against the built CLI'
      : 'sh %s — skipped: the CLI is not built (npx --yes pnpm@10 run setup)',
    (_name, block) => {
      for (const raw of block.code.split('\n')) {
        const line = raw.replace(/\s+#.*$/, '').trim();
        if (line === '' || line.startsWith('#')) continue;
        expect(line, 'runnable shell lines call the built CLI').toMatch(
          /^node packages\/cli\/dist\/bin\.js /,
        );
        const args = line.slice('node '.length).split(/\s+/);
        const run = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
        expect([0, 1], `${line}\n${run.stderr}`).toContain(run.status);
      }
    },
  );
});
