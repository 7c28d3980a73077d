/**
 * `switchyard routes <paths...>`: the flattened route table of one Gateway in precedence order,
 * as the core's `formatTable` prints it, or as JSON (`--format json`).
 */
import { formatTable, type CompiledMatch, type RouteTable } from '@switchyard/core';
import { Command, Option } from 'commander';
import { EXIT, type ExitCode } from '../errors.js';
import type { CliIo } from '../io.js';
import { withOwnersOption } from './input-owners.js';
import { loadOne, withCompileOptions, type CompileFlagOptions } from './inputs.js';

interface RoutesOptions extends CompileFlagOptions {
  readonly format: 'text' | 'json';
}

export function routesCommand(io: CliIo, done: (code: ExitCode) => void): Command {
  const command = new Command('routes')
    .description(
      'Print the flattened route table: per listener, every route in precedence order with its delegation chain and action.',
    )
    .argument('<paths...>', 'YAML or JSON files and folders')
    .addOption(
      new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'),
    );
  withOwnersOption(withCompileOptions(command)).action(
    (paths: string[], options: RoutesOptions) => {
      const { result } = loadOne(paths, options, io.cwd, 'routes');
      if (options.format === 'json')
        io.stdout(`${JSON.stringify(tableJson(result.table), null, 2)}\n`);
      else io.stdout(`${formatTable(result.table) || '(no Gateway, no routes)'}\n`);
      done(EXIT.ok);
    },
  );
  return command;
}

/**
 * The table as plain JSON: compiled regular expressions and the lookup index left out (they are
 * derived from the matches shown).
 */
export function tableJson(table: RouteTable): unknown {
  return {
    ...(table.gateway === undefined ? {} : { gateway: table.gateway }),
    listeners: table.listeners.map((listener) => ({
      name: listener.name,
      port: listener.port,
      protocol: listener.protocol,
      ...(listener.hostname === undefined ? {} : { hostname: listener.hostname }),
      routes: listener.routes.map((route) => ({
        rank: route.rank,
        hostnames: route.hostnames,
        match: plainMatch(route.match),
        guards: route.guards.map(plainMatch),
        chain: route.chain,
        weight: route.weight,
        action: route.action,
      })),
    })),
  };
}

function plainMatch(match: CompiledMatch): unknown {
  return {
    path: match.path,
    headers: match.headers,
    queryParams: match.queryParams,
    ...(match.method === undefined ? {} : { method: match.method }),
  };
}
