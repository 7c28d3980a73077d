#!/usr/bin/env node
/**
 * The `switchyard` executable. Everything lives in `runCli`; this file only hands it the process
 * and exits with its code.
 */
import { runCli } from './cli.js';

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`switchyard: unexpected error: ${String(error)}\n`);
    process.exitCode = 3;
  },
);
