/**
 * `pr-check <base-folder> <head-folder> --team <namespace>`: the CI step. Reads every YAML file of
 * both folders (the target branch and the pull request's checkout), prints each problem, and
 * exits 1 when there is one.
 *
 *   pnpm --filter @switchyard/example-pr-check start ../base/manifests ./manifests --team banking
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { checkChange } from './check-change.js';

function yamlObjects(path: string): unknown[] {
  if (statSync(path).isDirectory()) {
    return readdirSync(path)
      .sort()
      .flatMap((entry) => yamlObjects(join(path, entry)));
  }
  if (!/\.ya?ml$/.test(path)) return [];
  return parseAllDocuments(readFileSync(path, 'utf8'))
    .map((document) => document.toJS() as unknown)
    .filter((object) => object !== null);
}

const [basePath, headPath, flag, team] = process.argv.slice(2);
if (basePath === undefined || headPath === undefined || flag !== '--team' || team === undefined) {
  console.error('usage: pr-check <base-folder> <head-folder> --team <namespace>');
  process.exit(2);
}
const problems = checkChange({ team, base: yamlObjects(basePath), head: yamlObjects(headPath) });
for (const problem of problems) {
  if (problem.kind === 'not-attached') {
    const under = problem.parent === undefined ? '' : ` under ${problem.parent}`;
    console.log(
      `✗ ${problem.route} would not attach${under}: ${problem.reason}: ${problem.message}`,
    );
  } else {
    const { method, host, path } = problem.request;
    console.log(
      `✗ ${problem.route} would take ${method} ${host}${path} from ${problem.shadowed}:\n${problem.explanation}`,
    );
  }
}
console.log(problems.length === 0 ? `✓ ${team}: every route attaches, no other team shadowed` : '');
process.exit(problems.length === 0 ? 0 : 1);
