/**
 * The built CLI's contract with its user: `--help` on every command, one-line errors for bad
 * flags, paths and files, and the documented exit codes (0 ok, 1 findings, 2 unusable input).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { binPath, ensureBuilt, exampleDir, runBuilt } from './helpers/built-cli.js';

const COMMANDS = ['serve', 'check', 'explain', 'routes', 'graph'];
let scratch: string;

beforeAll(async () => {
  await ensureBuilt();
  scratch = mkdtempSync(join(tmpdir(), 'switchyard-cli-usage-'));
}, 240_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A usage error is exactly one line on stderr, nothing on stdout, exit 2. */
function expectOneLineError(
  result: { code: number | null; stdout: string; stderr: string },
  pattern: RegExp,
): void {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(result.stderr.trimEnd()).toMatch(pattern);
}

describe('a closed pipe', () => {
  it('ends quietly when stdout is closed before it writes (`switchyard routes | head -0`)', async () => {
    const child = spawn(process.execPath, [binPath, 'routes', exampleDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Close the read end at once: every write of the child meets EPIPE.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'close')) as [number | null];
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});

describe('help', () => {
  it('lists every command and the exit codes', async () => {
    const result = await runBuilt(['--help']);
    expect(result.code).toBe(0);
    for (const command of COMMANDS)
      expect(result.stdout).toMatch(new RegExp(`^\\s+${command} `, 'm'));
    expect(result.stdout).toContain('Exit codes: 0 ok, 1 check found problems, 2 unusable input');
  });

  it.each(COMMANDS)('switchyard %s --help describes its arguments and options', async (command) => {
    const result = await runBuilt([command, '--help']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(new RegExp(`^Usage: switchyard ${command} `));
    expect(result.stdout).toContain('paths');
    expect(result.stdout).toContain('--gateway <namespace/name>');
  });

  it('prints the version', async () => {
    const result = await runBuilt(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('no command at all is a usage error', async () => {
    const result = await runBuilt([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: switchyard');
  });
});

describe('one-line errors, exit 2', () => {
  it('an unknown command', async () => {
    expectOneLineError(
      await runBuilt(['chek', 'x']),
      /^switchyard: unknown command 'chek'.*Did you mean check\?/,
    );
  });

  it('an unknown flag', async () => {
    expectOneLineError(
      await runBuilt(['check', 'examples/delegation', '--bogus']),
      /^switchyard check: unknown option '--bogus' \(see 'switchyard check --help'\)$/,
    );
  });

  it('a format that does not exist', async () => {
    expectOneLineError(
      await runBuilt(['check', 'examples/delegation', '--format', 'xml']),
      /^switchyard check: option '--format <format>' argument 'xml' is invalid\. Allowed choices are text, json, github\./,
    );
    expectOneLineError(
      await runBuilt(['graph', 'examples/delegation', '--format', 'png']),
      /Allowed choices are mermaid, dot\./,
    );
  });

  it('a missing path', async () => {
    expectOneLineError(
      await runBuilt(['routes', 'no/such/dir']),
      /^switchyard: no such file or directory: no\/such\/dir$/,
    );
  });

  it('missing arguments', async () => {
    expectOneLineError(
      await runBuilt(['check']),
      /^switchyard check: missing required argument 'paths'/,
    );
    expectOneLineError(
      await runBuilt(['explain', 'examples/delegation', 'GET']),
      /^switchyard: explain needs <paths\.\.\.> <METHOD> <URL>/,
    );
  });

  it('a file that does not parse, with its file, line and column', async () => {
    const file = join(scratch, 'broken.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: Service\nmetadata: { name: x\nspec: {}\n');
    const result = await runBuilt(['check', file]);
    expectOneLineError(result, /^switchyard: .*broken\.yaml:\d+:\d+: /);
  });

  it('a folder without Kubernetes objects', async () => {
    const dir = join(scratch, 'empty');
    rmSync(dir, { recursive: true, force: true });
    writeFileSync(join(scratch, 'not-objects.yaml'), 'backends: {}\n');
    expectOneLineError(
      await runBuilt(['check', join(scratch, 'not-objects.yaml')]),
      /no Kubernetes objects in /,
    );
  });

  it('a malformed --gateway, --max-delegation-depth, header, method or URL', async () => {
    expectOneLineError(
      await runBuilt(['routes', 'examples/delegation', '--gateway', 'http']),
      /--gateway must be namespace\/name, got 'http'/,
    );
    expectOneLineError(
      await runBuilt(['routes', 'examples/delegation', '--gateway', 'nowhere/http']),
      /--gateway: Gateway nowhere\/http is not among the objects \(found: kgateway-system\/http\)/,
    );
    expectOneLineError(
      await runBuilt(['check', 'examples/delegation', '--max-delegation-depth', 'deep']),
      /--max-delegation-depth must be a whole number/,
    );
    expectOneLineError(
      await runBuilt([
        'explain',
        'examples/delegation',
        'GET',
        'http://api.example.com/',
        '-H',
        'no-colon',
      ]),
      /bad header 'no-colon': expected 'Name: value'/,
    );
    expectOneLineError(
      await runBuilt(['explain', 'examples/delegation', 'G T', '/x']),
      /not an HTTP method: 'G T'/,
    );
    expectOneLineError(
      await runBuilt(['explain', 'examples/delegation', 'GET', 'ftp://api.example.com/x']),
      /unsupported scheme 'ftp'/,
    );
  });

  it('case files where one set of objects is needed', async () => {
    expectOneLineError(
      await runBuilt(['routes', 'packages/test-kit/cases/delegation']),
      /^switchyard: routes needs one set of objects, but the paths hold \d+ case files: pass one case file/,
    );
  });
});
