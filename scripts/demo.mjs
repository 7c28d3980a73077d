// The main job until the CLI lands: compile the bundled example (examples/delegation) and show
// where each sample request lands, checked against the expectation written beside it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { compile, explain, formatTable } from '@switchyard/core';

const root = new URL('../examples/delegation/', import.meta.url).pathname;
const NOT_MANIFESTS = new Set(['backends.local.yaml', 'requests.yaml']);

function yamlFiles(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return yamlFiles(path);
      return /\.ya?ml$/.test(name) && !NOT_MANIFESTS.has(name) ? [path] : [];
    });
}

const objects = yamlFiles(root).flatMap((file) =>
  parseAllDocuments(readFileSync(file, 'utf8'))
    .map((doc) => doc.toJS())
    .filter((o) => o && typeof o === 'object'),
);
const { table, statuses, diagnostics } = compile(objects);

console.log(`Compiled ${objects.length} objects from ${relative(process.cwd(), root)}\n`);
console.log(formatTable(table));
for (const d of diagnostics) console.log(`${d.severity}: ${d.message}`);
for (const route of statuses) {
  for (const parent of route.parents) {
    const bad = parent.conditions.filter(
      (c) => c.status !== 'True' && c.type !== 'PartiallyInvalid',
    );
    const flag = bad.length === 0 ? 'ok ' : 'BAD';
    console.log(
      `${flag} ${route.namespace}/${route.name} under ${parent.parentRef.kind} ${parent.parentRef.namespace}/${parent.parentRef.name}${bad.map((c) => ` ${c.type}=${c.status}(${c.reason}: ${c.message})`).join('')}`,
    );
  }
}

const requests = parseAllDocuments(readFileSync(join(root, 'requests.yaml'), 'utf8'))[0].toJS();
let failures = 0;
console.log('\nSample requests:');
for (const { name, request, expect } of requests) {
  const { decision } = explain(table, {
    method: request.method ?? 'GET',
    host: request.host,
    path: request.path,
    port: request.port,
    headers: request.headers ?? {},
  });
  const landed =
    decision.kind === 'forward'
      ? `${decision.backends.map((b) => `${b.namespace}/${b.name}:${b.port}`).join(' | ')} as ${decision.upstream.path}`
      : decision.kind === 'redirect'
        ? `redirect ${decision.status} ${decision.location}`
        : `${decision.status} ${decision.reason}`;
  const wanted = expect?.backend
    ? decision.kind === 'forward' &&
      decision.backends.some(
        (b) => b.namespace === expect.backend.namespace && b.name === expect.backend.name,
      )
    : expect?.status
      ? decision.kind === 'respond' && decision.status === expect.status
      : true;
  if (!wanted) failures++;
  console.log(
    `${wanted ? 'ok ' : 'BAD'} ${(request.method ?? 'GET').padEnd(6)} ${request.host}${request.path}  ->  ${landed}${name ? `   (${name})` : ''}`,
  );
}
process.exitCode = failures > 0 ? 1 : 0;
