/**
 * `serve`'s request-intake flags, read into `@switchyard/node` options: which peers' forwarding
 * headers are trusted (`--trusted-proxies` / `--trusted-hops`), the Via pseudonym (`--via`) and
 * the Upgrade allow-list (`--upgrades`). A malformed value is a usage error (exit 2) before any
 * port is opened.
 */
import { Option, type Command } from 'commander';
import { isIP } from 'node:net';
import { CliError } from '../errors.js';
import type { ProxyFlags } from '../serve/runtime.js';

export interface ProxyFlagOptions {
  readonly trustedProxies?: string;
  readonly trustedHops?: string;
  readonly via?: string;
  readonly upgrades?: string;
}

export function withProxyOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--trusted-proxies <cidrs>',
        'peers (IP or CIDR, comma-separated) whose X-Forwarded-*/Forwarded headers are kept and extended; default: none, every client is the edge',
      ).conflicts('trustedHops'),
    )
    .addOption(
      new Option(
        '--trusted-hops <n>',
        'the number of proxies always in front of the gateway; above 0 every peer is trusted (use --trusted-proxies when their addresses are known)',
      ),
    )
    .addOption(
      new Option(
        '--via <pseudonym>',
        'the name this gateway adds to Via and detects loops by (default: switchyard-<8 hex> per process)',
      ),
    )
    .addOption(
      new Option(
        '--upgrades <protocols>',
        "Upgrade protocols tunnelled to backends, comma-separated (default 'websocket'); others are served as plain HTTP",
      ),
    );
}

/** RFC 9110 token: the shape of a Via pseudonym and of an Upgrade protocol name. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export function proxyFlags(options: ProxyFlagOptions): ProxyFlags {
  const flags: { -readonly [K in keyof ProxyFlags]: ProxyFlags[K] } = {};
  if (options.trustedProxies !== undefined)
    flags.trustedProxies = { addresses: list(options.trustedProxies, '--trusted-proxies', isCidr) };
  if (options.trustedHops !== undefined) {
    const hops = Number(options.trustedHops);
    if (!/^\d+$/.test(options.trustedHops) || !Number.isSafeInteger(hops))
      throw new CliError(
        `--trusted-hops must be a whole number >= 0, got '${options.trustedHops}'`,
      );
    flags.trustedProxies = { hops };
  }
  if (options.via !== undefined) {
    if (!TOKEN.test(options.via) || options.via.length > 64)
      throw new CliError(
        `--via must be one token of at most 64 characters (letters, digits, '-', '.'; no spaces or commas), got '${options.via}'`,
      );
    flags.via = options.via;
  }
  if (options.upgrades !== undefined)
    flags.upgrades = list(options.upgrades, '--upgrades', (p) => TOKEN.test(p));
  return flags;
}

function list(text: string, flag: string, valid: (entry: string) => boolean): string[] {
  const entries = text.split(',').map((e) => e.trim());
  const bad = entries.find((e) => !valid(e));
  if (bad !== undefined)
    throw new CliError(
      `${flag}: '${bad}' is not valid in '${text}' (${flag === '--upgrades' ? 'protocol names like websocket' : 'IP addresses or CIDRs like 10.0.0.0/8 or ::1'}, comma-separated)`,
    );
  return entries;
}

function isCidr(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}
