/**
 * Runs a CLI command in this process (through `runCli`, the same code `bin.ts` runs), for tests
 * that sweep every case file where a subprocess per request would be too slow. The subprocess
 * tests cover the binary itself.
 */
import { runCli } from '../../src/cli.js';
import { repoRoot } from './built-cli.js';

export interface InProcessResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runInProcess(
  args: readonly string[],
  cwd = repoRoot,
  stdin?: string,
): Promise<InProcessResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    cwd,
    env: {},
    ...(stdin === undefined ? {} : { readStdin: () => Promise.resolve(stdin) }),
  });
  return { code, stdout, stderr };
}
