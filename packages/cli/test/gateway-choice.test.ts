/**
 * routes, explain and graph name the Gateway they show; with more than one Gateway among the
 * inputs (a team folder holding a Gateway of its own) they refuse to guess (exit 2, listing
 * them) until `--gateway ns/name` chooses. In-process, on a copy of the example.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleDir } from './helpers/built-cli.js';
import { runInProcess } from './helpers/in-process.js';

let example: string;

const SECOND_GATEWAY = `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: shadow, namespace: banking }
spec:
  gatewayClassName: kgateway
  listeners: [{ name: http, protocol: HTTP, port: 8080 }]
`;

beforeAll(() => {
  example = mkdtempSync(join(tmpdir(), 'switchyard-gateway-choice-'));
  cpSync(exampleDir, example, { recursive: true });
  // Without an owners file any folder may declare a Gateway (with it, banking's is refused:
  // check-owners.test.ts); this file is about choosing among several.
  rmSync(join(example, 'owners.yaml'));
});

afterAll(() => rmSync(example, { recursive: true, force: true }));

const commands = [
  ['routes', '.'],
  ['graph', '.'],
  ['explain', '.', 'GET', 'http://api.example.com:8080/banking/accounts'],
];

describe('the Gateway routes, explain and graph use', () => {
  it('is named in their output', async () => {
    for (const args of commands) {
      const result = await runInProcess(args, example);
      expect({ args, code: result.code }).toEqual({ args, code: 0 });
      expect(result.stdout).toMatch(/[Gg]ateway kgateway-system\/http/);
    }
  });

  it('must be chosen with --gateway when a team folder adds a second one (exit 2, both listed)', async () => {
    const file = join(example, 'banking', 'gateway.yaml');
    writeFileSync(file, SECOND_GATEWAY);
    try {
      for (const args of commands) {
        const refused = await runInProcess(args, example);
        expect({ args, code: refused.code, stdout: refused.stdout }).toEqual({
          args,
          code: 2,
          stdout: '',
        });
        expect(refused.stderr).toContain(
          'there are 2 Gateways (banking/shadow, kgateway-system/http)',
        );
        expect(refused.stderr).toContain('--gateway');
        const chosen = await runInProcess([...args, '--gateway', 'kgateway-system/http'], example);
        expect({ args, code: chosen.code }).toEqual({ args, code: 0 });
        expect(chosen.stdout).toMatch(/[Gg]ateway kgateway-system\/http/);
        expect(chosen.stdout).not.toContain('banking/shadow');
      }
    } finally {
      rmSync(file);
    }
  });
});
