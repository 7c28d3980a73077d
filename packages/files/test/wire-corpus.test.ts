/**
 * The worker's wire over the whole case corpus (Gateway API, delegation, Switchyard's own): every
 * case file's snapshot is sent as the compile worker sends it (`sendSnapshot`: v8-serialised
 * parts) and opened as the serving thread opens it (`openSnapshot`: decoded, the table assembled
 * in slices). The table, statuses, findings and diagnostics that arrive must be the ones that
 * left, and every request of the case must be decided the same. The thread itself is left out
 * (worker-source.test.ts starts real workers); the bytes are the same.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatTable, resolve, type ResolveRequest } from '@switchyard/core';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../src/file-source/engine.js';
import type { Part } from '../src/worker/parts.js';
import { openSnapshot, sendSnapshot } from '../src/worker/wire.js';

const casesRoot = fileURLToPath(new URL('../../test-kit/cases', import.meta.url));
const caseFiles = ['gateway-api', 'delegation', 'switchyard'].flatMap((dir) =>
  readdirSync(join(casesRoot, dir))
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => join(casesRoot, dir, name)),
);

interface CaseRequest {
  readonly request: {
    method?: string;
    host?: string;
    port?: number;
    path: string;
    headers?: Record<string, string | string[]>;
  };
}

function requestsOf(file: string): ResolveRequest[] {
  const { requests = [] } = parse(readFileSync(file, 'utf8')) as { requests?: CaseRequest[] };
  return requests.map(({ request }) => ({
    method: request.method ?? 'GET',
    ...(request.host === undefined ? {} : { host: request.host }),
    ...(request.port === undefined ? {} : { port: request.port }),
    path: request.path,
    ...(request.headers === undefined ? {} : { headers: request.headers }),
  }));
}

describe('rule 28: what the compile worker sends is what the serving thread serves', () => {
  it(`every case file of the corpus (${caseFiles.length}) arrives whole and decides every request alike`, async () => {
    let requests = 0;
    for (const file of caseFiles) {
      const { snapshot } = createEngine({ paths: [file], cwd: casesRoot }).load();
      const parts: Part[] = [];
      const wire = sendSnapshot(snapshot, (message) => {
        if (message.type === 'part') parts.push(message);
      });
      const { result, objects } = await openSnapshot(parts, wire);
      const sent = snapshot.result;
      expect(formatTable(result.table), file).toBe(formatTable(sent.table));
      expect(result.statuses, file).toEqual(sent.statuses);
      expect(result.findings, file).toEqual(sent.findings);
      expect(result.diagnostics, file).toEqual(sent.diagnostics);
      expect(result.gateways, file).toEqual(sent.gateways);
      expect(
        objects.map((o) => o.value),
        file,
      ).toEqual(snapshot.set.objects.map((o) => o.value));
      for (const request of requestsOf(file)) {
        requests++;
        expect(JSON.stringify(resolve(result.table, request)), `${file} ${request.path}`).toBe(
          JSON.stringify(resolve(sent.table, request)),
        );
      }
    }
    console.log(`${caseFiles.length} case files, ${requests} requests decided alike`);
    expect(requests).toBeGreaterThan(300);
  }, 120_000);
});
