/**
 * `switchyard graph <paths...> --format mermaid|dot`: the delegation tree of one Gateway, from the
 * Gateway through parent rules and children to backends, rejected children marked with why.
 */
import { Command, Option } from 'commander';
import { EXIT, type ExitCode } from '../errors.js';
import { buildGraph } from '../graph/build-graph.js';
import { renderDot, renderMermaid } from '../graph/render.js';
import type { CliIo } from '../io.js';
import { withOwnersOption } from './input-owners.js';
import { loadOne, withCompileOptions, type CompileFlagOptions } from './inputs.js';

interface GraphOptions extends CompileFlagOptions {
  readonly format: 'mermaid' | 'dot';
}

export function graphCommand(io: CliIo, done: (code: ExitCode) => void): Command {
  const command = new Command('graph')
    .description(
      'Draw the delegation tree: Gateway → parent rules → children → backends, rejected children marked with their reason.',
    )
    .argument('<paths...>', 'YAML or JSON files and folders')
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(['mermaid', 'dot'])
        .default('mermaid'),
    );
  withOwnersOption(withCompileOptions(command)).action((paths: string[], options: GraphOptions) => {
    const graph = buildGraph(loadOne(paths, options, io.cwd, 'graph'));
    io.stdout(options.format === 'dot' ? renderDot(graph) : renderMermaid(graph));
    done(EXIT.ok);
  });
  return command;
}
