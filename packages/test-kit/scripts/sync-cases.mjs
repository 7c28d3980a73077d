#!/usr/bin/env node
// Copies the shared conformance corpus into packages/test-kit/cases/ so that the package carries
// its own copy (tests and published tools never reach outside the repository).
//
//   ../shared/conformance/gateway-api/*.yaml + README.md  ->  cases/gateway-api/
//   ../shared/conformance/FORMAT.md                        ->  cases/FORMAT.md
//
// `../shared` is relative to the repository root. Files that disappeared upstream are removed from
// the copy; `cases/delegation/` is written in this repository and never touched.
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = resolve(packageDir, '../..');
const sharedDir = resolve(repoRoot, '../shared/conformance');
const casesDir = join(packageDir, 'cases');

if (!existsSync(sharedDir)) {
  console.log(
    `cases:sync: ${sharedDir} does not exist; nothing to sync, the bundled copy stays as it is.`,
  );
  process.exit(0);
}

/** Each entry copies the files `pick` selects from `from` into `to`, mirroring removals. */
const sets = [
  {
    from: join(sharedDir, 'gateway-api'),
    to: join(casesDir, 'gateway-api'),
    pick: (name) => name.endsWith('.yaml') || name === 'README.md',
  },
  { from: sharedDir, to: casesDir, pick: (name) => name === 'FORMAT.md', keepOthers: true },
];

const report = { added: [], changed: [], removed: [], unchanged: 0 };

for (const set of sets) {
  mkdirSync(set.to, { recursive: true });
  const wanted = readdirSync(set.from, { withFileTypes: true })
    .filter((entry) => entry.isFile() && set.pick(entry.name))
    .map((entry) => entry.name)
    .sort();
  for (const name of wanted) {
    const source = join(set.from, name);
    const target = join(set.to, name);
    const label = relative(packageDir, target);
    if (!existsSync(target)) {
      report.added.push(label);
    } else if (!readFileSync(source).equals(readFileSync(target))) {
      report.changed.push(label);
    } else {
      report.unchanged += 1;
      continue;
    }
    // The shared files may be read-only; the copy must stay writable for the next sync.
    rmSync(target, { force: true });
    copyFileSync(source, target);
    chmodSync(target, 0o644);
  }
  if (set.keepOthers) continue;
  for (const entry of readdirSync(set.to, { withFileTypes: true })) {
    if (entry.isFile() && set.pick(entry.name) && !wanted.includes(entry.name)) {
      rmSync(join(set.to, entry.name));
      report.removed.push(relative(packageDir, join(set.to, entry.name)));
    }
  }
}

for (const [kind, files] of [
  ['added', report.added],
  ['changed', report.changed],
  ['removed', report.removed],
]) {
  for (const file of files) console.log(`  ${kind.padEnd(8)} ${file}`);
}
console.log(
  `cases:sync: ${report.added.length} added, ${report.changed.length} changed, ` +
    `${report.removed.length} removed, ${report.unchanged} unchanged (from ${relative(repoRoot, sharedDir)}).`,
);
