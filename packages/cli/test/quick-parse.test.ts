/**
 * `quickParse` (the one-shot commands' parser) against the reference `parseManifestFile`: the
 * same objects, the same positions for every object and every field located, on every manifest
 * and case file in the repository and on the shapes it hands back to the reference parser.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quickParse } from '../src/commands/quick-parse.js';
import { parseManifestFile, type ParsedFile } from '@switchyard/files';
import { casesRoot, exampleDir, repoRoot } from './helpers/built-cli.js';
import { listYaml } from './helpers/files.js';

function same(file: string, text: string): void {
  const quick = quickParse(file, text);
  const reference = parseManifestFile(file, text);
  expect(shape(quick)).toEqual(shape(reference));
  if (!quick.ok || !reference.ok) return;
  for (const [i, object] of quick.objects.entries()) {
    for (const path of ['spec', 'spec.rules[0].matches[0]', 'metadata.name', 'spec.rules[9]'])
      expect(object.locate(path)).toEqual(reference.objects[i]!.locate(path));
  }
}

function shape(parsed: ParsedFile): unknown {
  if (!parsed.ok) return parsed;
  return {
    objects: parsed.objects.map((o) => ({ value: o.value, location: o.location })),
    ignored: parsed.ignored,
    caseFile: parsed.caseFile,
  };
}

describe('quickParse reads what parseManifestFile reads', () => {
  it('every file of the example, the deploy folder and the case files', () => {
    const files = [
      ...listYaml(exampleDir),
      ...listYaml(join(repoRoot, 'deploy')),
      ...listYaml(casesRoot),
    ];
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) same(file, readFileSync(file, 'utf8'));
  });

  it.each([
    [
      'comments, a leading marker and an empty document',
      '# c\n---\n# d\napiVersion: v1\nkind: Service\nmetadata: { name: a }\n---\n---\n  kind: Namespace\n  metadata: { name: b }\n',
    ],
    [
      'a marker with a comment, CRLF line ends',
      'kind: Service\r\nmetadata:\r\n  name: a\r\n--- # two\r\nkind: Service\r\nmetadata:\r\n  name: b\r\n',
    ],
    ['a syntax error', 'kind: Service\nmetadata: { name: a\n'],
    ['aliases', 'kind: Service\nmetadata: &m { name: a }\nspec: { copy: *m }\n'],
    ['a List', 'kind: List\nitems:\n  - kind: Service\n    metadata: { name: a }\n'],
    ['JSON', '{\n  "kind": "Service",\n  "metadata": { "name": "a" }\n}\n'],
    [
      'a document that is not an object',
      'a: 1\n---\n- x\n---\nkind: Service\nmetadata: { name: a }\n',
    ],
    [
      'a timestamp and a duplicate key',
      'kind: Service\nmetadata: { name: a, name: b, creationTimestamp: 2024-01-01T00:00:00Z }\n',
    ],
    ['a byte order mark', '\uFEFFkind: Service\nmetadata: { name: a }\n'],
    [
      'an indented first document after a comment',
      '# c\n  kind: Service\n  metadata: { name: a }\n...\n',
    ],
    ['a directive', '%YAML 1.2\n---\nkind: Service\nmetadata: { name: a }\n'],
    ['content on the marker line', '--- {kind: Service, metadata: {name: a}}\n'],
    [
      'a quoted wildcard and a tag',
      "kind: HTTPRoute\nspec: { hostnames: ['*.example.com'] }\n---\nkind: Service\nport: !!str 80\n",
    ],
  ])('%s', (_name, text) => same('/tmp/x.yaml', text));
});
