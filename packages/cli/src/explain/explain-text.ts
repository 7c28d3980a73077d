/**
 * `explain`'s text output: where the request lands (the decision), then why (the trace, one line
 * per step), then where each rule of the winning chain is written.
 */
import { formatRouteRef, formatTrace } from '@switchyard/core';
import type {
  Decision,
  DecisionBackend,
  HeaderModifier,
  ResolveRequest,
  RouteRef,
  TraceStep,
} from '@switchyard/core';
import type { CompiledSet } from '@switchyard/files';
import { locationText } from '../report/paths.js';

function chainText(chain: readonly RouteRef[]): string {
  return chain.map(formatRouteRef).join(' > ');
}

export function formatExplanation(
  request: ResolveRequest,
  decision: Decision,
  trace: readonly TraceStep[],
  compiled: CompiledSet,
  cwd: string,
): string {
  const gateway = compiled.result.table.gateway;
  const lines = [
    `${request.method} ${request.host ?? '(no host)'}${request.path}`,
    `gateway ${gateway === undefined ? '(none)' : `${gateway.namespace}/${gateway.name}`}`,
    '',
  ];
  lines.push(...decisionLines(decision));
  lines.push(
    '',
    'why:',
    ...formatTrace(trace)
      .split('\n')
      .map((line) => `  ${line}`),
  );
  const where = (ref: RouteRef): string => {
    const route = compiled.find('HTTPRoute', ref.namespace, ref.name);
    const at =
      route === undefined
        ? ''
        : `  ${locationText(route.locate(`spec.rules[${ref.ruleIndex}].matches[${ref.matchIndex}]`), cwd)}`;
    return `  ${formatRouteRef(ref)}${ref.ruleName === undefined ? '' : ` (${ref.ruleName})`}${at}`;
  };
  const chain = decision.chain ?? [];
  if (chain.length > 0) lines.push('', 'rules:', ...chain.map(where));
  // A 404 inside a delegated prefix: where the delegation and the children it tried are written.
  for (const step of trace) {
    if (step.step !== 'delegation') continue;
    const parent = step.parent[step.parent.length - 1]!;
    lines.push('', `delegated by:`, where(parent), 'children tried:');
    if (step.children.length === 0) lines.push('  (none)');
    for (const child of step.children) lines.push(where(child.chain[child.chain.length - 1]!));
  }
  return `${lines.join('\n')}\n`;
}

/** The decision in a few lines: the verdict first, then its details. */
export function decisionLines(decision: Decision): string[] {
  switch (decision.kind) {
    case 'forward': {
      const lines = [`forward to ${decision.backends.map(backendText).join(', ')}`];
      lines.push(`  upstream path ${decision.upstream.path}`);
      if (decision.upstream.host !== undefined)
        lines.push(`  upstream host ${decision.upstream.host}`);
      for (const backend of decision.backends) {
        if (backend.address !== undefined) {
          const hosts = backend.address.hosts.map((h) => `${h.host}:${h.port}`).join(', ');
          lines.push(`  ${backend.name} dials ${hosts}${backend.address.tls ? ' (TLS)' : ''}`);
        }
        if (backend.upstream !== undefined)
          lines.push(`  ${backend.name} receives ${backend.upstream.path}`);
      }
      pushModifier(lines, 'request headers', decision.requestHeaders);
      pushModifier(lines, 'response headers', decision.responseHeaders);
      for (const mirror of decision.mirrors)
        lines.push(
          `  mirror ${mirror.backend.namespace}/${mirror.backend.name}:${mirror.backend.port} ${mirror.percent}%`,
        );
      if (decision.timeouts !== undefined)
        lines.push(
          `  timeouts request ${decision.timeouts.requestMs ?? '-'}ms, backend ${decision.timeouts.backendRequestMs ?? '-'}ms`,
        );
      if (decision.retry !== undefined)
        lines.push(`  retry ${decision.retry.attempts}x on ${decision.retry.codes.join(', ')}`);
      lines.push(`  listener ${decision.listener.name}:${decision.listener.port}`);
      lines.push(`  chain ${chainText(decision.chain)}`);
      return lines;
    }
    case 'redirect':
      return [
        `redirect ${decision.status} to ${decision.location}`,
        `  listener ${decision.listener.name}:${decision.listener.port}`,
        `  chain ${chainText(decision.chain)}`,
      ];
    case 'respond': {
      const lines = [`respond ${decision.status} (${decision.reason})`];
      if (decision.listener !== undefined)
        lines.push(`  listener ${decision.listener.name}:${decision.listener.port}`);
      if (decision.chain !== undefined) lines.push(`  chain ${chainText(decision.chain)}`);
      return lines;
    }
  }
}

function backendText(backend: DecisionBackend): string {
  const kind = backend.kind === 'Service' && backend.group === '' ? 'Service' : backend.kind;
  const invalid =
    backend.invalid === undefined
      ? ''
      : ` [invalid: ${backend.invalid.status} ${backend.invalid.reason}]`;
  return `${kind} ${backend.namespace}/${backend.name}:${backend.port} (weight ${backend.weight})${invalid}`;
}

function pushModifier(lines: string[], label: string, modifier: HeaderModifier | undefined): void {
  if (modifier === undefined) return;
  const parts = [
    ...modifier.set.map((h) => `set ${h.name}: ${h.value}`),
    ...modifier.add.map((h) => `add ${h.name}: ${h.value}`),
    ...modifier.remove.map((name) => `remove ${name}`),
  ];
  lines.push(`  ${label}: ${parts.join(', ')}`);
}
