/**
 * The CLI under test is the built one (`packages/cli/dist/bin.js`), run as a subprocess the way a
 * user or CI runs it. `ensureBuilt()` builds it, and the workspace packages it imports at run time,
 * when their `dist/` is missing or older than their sources; a lock directory keeps parallel test
 * files from building at the same time.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
export const cliDir = join(repoRoot, 'packages/cli');
export const binPath = join(cliDir, 'dist/bin.js');
export const exampleDir = join(repoRoot, 'examples/delegation');
export const casesRoot = join(repoRoot, 'packages/test-kit/cases');

/**
 * Packages the built CLI loads at run time, in build order. `@switchyard/node` (and
 * `@switchyard/kubernetes`) are loaded only by `serve`, so only its tests ask for them.
 */
const DEFAULT_PACKAGES = ['core', 'cli'];

function newestMtime(dir: string): number {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function stale(pkg: string): boolean {
  const dir = join(repoRoot, 'packages', pkg);
  const output = join(dir, 'dist/index.js');
  if (!existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  const sources = Math.max(
    newestMtime(join(dir, 'src')),
    statSync(join(dir, 'package.json')).mtimeMs,
  );
  return sources > built;
}

function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, maxBuffer: 64 * 1024 * 1024 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')} in ${cwd} failed:\n${stderr}`));
      else resolve();
    });
  });
}

async function withLock<T>(action: () => Promise<T>): Promise<T> {
  const lock = join(cliDir, '.build-lock');
  const deadline = Date.now() + 240_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 300_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await action();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Builds what is stale; a no-op (a few stat calls) when everything is current. */
export async function ensureBuilt(requested: readonly string[] = DEFAULT_PACKAGES): Promise<void> {
  // The CLI loads files through @switchyard/files' build: build it first whenever the CLI is asked for.
  const packages = requested.flatMap((pkg) =>
    pkg === 'cli' && !requested.includes('files') ? ['files', 'cli'] : [pkg],
  );
  if (!packages.some(stale)) return;
  await withLock(async () => {
    const tsup = join(repoRoot, 'node_modules/.bin/tsup');
    for (const pkg of packages) {
      if (!stale(pkg)) continue;
      const dir = join(repoRoot, 'packages', pkg);
      try {
        await run(tsup, [], dir);
      } catch (error) {
        // Only the JavaScript is loaded at run time: a failing declaration build of a package
        // another team is still editing must not stop these tests.
        if (!existsSync(join(dir, 'dist/index.js'))) throw error;
        console.warn(
          `${pkg}: built with errors (declarations?); using its JavaScript:\n${String(error)}`,
        );
      }
    }
  });
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node dist/bin.js ...args` to completion. */
export function runBuilt(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath, ...args], {
      cwd: options.cwd ?? repoRoot,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A long-running `switchyard ...` (serve) with its output so far and a way to wait for a line. */
export interface RunningCli {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the whole stdout once `pattern` appears in it (rejects after `timeoutMs` or on exit). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

export function startBuilt(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): RunningCli {
  const child = spawn(process.execPath, [binPath, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let exited: number | null | undefined;
  const waiters = new Set<() => void>();
  const notify = (): void => waiters.forEach((w) => w());
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    notify();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
    notify();
  });
  const closed = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      exited = code;
      notify();
      resolve(code);
    }),
  );
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    waitFor(pattern, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (pattern.test(out)) {
            cleanup();
            resolve(out);
          } else if (exited !== undefined) {
            cleanup();
            reject(
              new Error(
                `exited with ${exited} before ${pattern}\nstdout:\n${out}\nstderr:\n${err}`,
              ),
            );
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${pattern}\nstdout:\n${out}\nstderr:\n${err}`));
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    async stop() {
      if (exited === undefined) child.kill('SIGTERM');
      return closed;
    },
  };
}
