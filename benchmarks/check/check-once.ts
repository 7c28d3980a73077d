/**
 * One measured `switchyard check` in this process (run as a child by `run.ts`, so that every
 * size starts from a fresh heap): prints `{ ms, cpuMs, maxRssMb, code, stdoutBytes }` as JSON.
 */
import { runCli } from '../../packages/cli/src/cli.js';

const [dir, format = 'text'] = process.argv.slice(2);
let stdoutBytes = 0;
const started = performance.now();
const cpuBefore = process.cpuUsage();
const code = await runCli(['check', dir!, '--format', format], {
  stdout: (text) => (stdoutBytes += text.length),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  env: {},
});
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
const cpuMs = Math.round((cpu.user + cpu.system) / 1000);
const maxRssMb = process.resourceUsage().maxRSS / 1024;
console.log(
  JSON.stringify({ ms: Math.round(ms), cpuMs, maxRssMb: Math.round(maxRssMb), code, stdoutBytes }),
);
