/**
 * Where a command writes and what it runs in. `bin.ts` passes the process's; tests pass their own
 * to run commands in-process.
 */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Paths on the command line are relative to this. */
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * Resolves when a long-running command (`serve`) should stop. Default: SIGINT or SIGTERM.
   */
  readonly stopSignal?: Promise<void>;
  /** The whole of standard input, for `check -`. Default: none (an empty stream). */
  readonly readStdin?: () => Promise<string>;
}

/** The real process's streams, directory and signals. */
export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
    readStdin: async () => {
      let text = '';
      process.stdin.setEncoding('utf8');
      for await (const chunk of process.stdin) text += chunk as string;
      return text;
    },
  };
}
