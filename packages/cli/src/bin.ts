#!/usr/bin/env node
/**
 * The `switchyard` executable. Everything lives in `runCli`; this file only hands it the process
 * and exits with its code.
 */
import { runCli } from './cli.js';

// `switchyard routes | head`: when the reader goes away, stop quietly as Unix tools do, instead
// of dying on an unhandled EPIPE with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`switchyard: unexpected error: ${String(error)}\n`);
    process.exitCode = 3;
  },
);
