/**
 * `formatTable`: a compiled table as stable, reviewable text, one line per flattened route in
 * precedence order. For inline snapshots in tests and for the CLI's `routes` command.
 */
import type {
  HeaderModifier,
  NormalizedRedirect,
  NormalizedRewrite,
  NormalizedValueMatch,
} from './api/normalized.js';
import type { RouteRef } from './decision.js';
import type {
  CompiledMatch,
  FlatRoute,
  RouteAction,
  RouteTable,
  TableBackend,
  TableListener,
} from './table.js';

/**
 * Renders a table. Per listener a header line, then per route:
 * `#rank  hostnames  [METHOD] PathType value [header name=value] [query name~regex]  chain  => action`.
 * `=` is an Exact value match and `~` a regular expression; guards (ancestor matches of a delegated
 * route) follow the match in `{guard ...}`.
 *
 * @example
 * ```text
 * listener http HTTP :80 *
 *   #0  *  PathPrefix /banking  infra/parent#0 > banking/accounts#0  => forward banking/accounts:8080 w1
 * ```
 */
export function formatTable(table: RouteTable): string {
  const lines: string[] = [];
  if (table.gateway !== undefined)
    lines.push(`gateway ${table.gateway.namespace}/${table.gateway.name}`);
  for (const listener of table.listeners) {
    lines.push(listenerLine(listener));
    for (const route of listener.routes) lines.push(`  ${routeLine(route)}`);
  }
  return lines.join('\n');
}

/** `namespace/name#rule`, with `.match` when it is not the rule's first match. */
export function formatRouteRef(ref: RouteRef): string {
  const match = ref.matchIndex > 0 ? `.${ref.matchIndex}` : '';
  return `${ref.namespace}/${ref.name}#${ref.ruleIndex}${match}`;
}

function listenerLine(listener: TableListener): string {
  const routes = listener.routes.length === 0 ? ' (no routes)' : '';
  return `listener ${listener.name} ${listener.protocol} :${listener.port} ${listener.hostname ?? '*'}${routes}`;
}

function routeLine(route: FlatRoute): string {
  const hosts = route.hostnames.length === 0 ? '*' : route.hostnames.join(',');
  const guards = route.guards.map((g) => ` {guard ${matchText(g)}}`).join('');
  const weight = route.weight === 0 ? '' : ` weight=${route.weight}`;
  const chain = route.chain.map(formatRouteRef).join(' > ');
  return `#${route.rank}  ${hosts}  ${matchText(route.match)}${guards}${weight}  ${chain}  => ${actionText(route.action)}`;
}

function matchText(match: CompiledMatch): string {
  const parts: string[] = [];
  if (match.method !== undefined) parts.push(match.method);
  parts.push(`${match.path.type} ${match.path.value}`);
  for (const header of match.headers) parts.push(`header ${valueText(header)}`);
  for (const param of match.queryParams) parts.push(`query ${valueText(param)}`);
  return parts.join(' ');
}

function valueText(match: NormalizedValueMatch): string {
  return `${match.name}${match.type === 'Exact' ? '=' : '~'}${match.value}`;
}

function actionText(action: RouteAction): string {
  switch (action.kind) {
    case 'respond':
      return `respond ${action.status} (${action.reason})`;
    case 'redirect':
      return `redirect ${redirectText(action.redirect)}${modifierText('response', action.responseHeaders)}${action.cors === undefined ? '' : ' cors'}`;
    case 'forward': {
      const extras = [
        action.rewrite === undefined ? '' : ` rewrite(${rewriteText(action.rewrite)})`,
        modifierText('request', action.requestHeaders),
        modifierText('response', action.responseHeaders),
        action.mirrors
          .map(
            (m) =>
              ` mirror ${m.backend.namespace}/${m.backend.name}:${m.backend.port} ${m.percent}%`,
          )
          .join(''),
        action.cors === undefined ? '' : ' cors',
        action.timeouts === undefined
          ? ''
          : ` timeouts(${action.timeouts.requestMs ?? '-'}/${action.timeouts.backendRequestMs ?? '-'}ms)`,
        action.retry === undefined
          ? ''
          : ` retry(${action.retry.attempts}x ${action.retry.codes.join('/')})`,
      ];
      return `forward ${action.backends.map(backendText).join(', ')}${extras.join('')}`;
    }
  }
}

function backendText(backend: TableBackend): string {
  const kind = backend.kind === 'Service' && backend.group === '' ? '' : `${backend.kind}:`;
  const parts = [`${kind}${backend.namespace}/${backend.name}:${backend.port} w${backend.weight}`];
  if (backend.invalid !== undefined)
    parts.push(`[invalid ${backend.invalid.status} ${backend.invalid.reason}]`);
  if (backend.redirect !== undefined) parts.push(`[redirect ${redirectText(backend.redirect)}]`);
  if (backend.rewrite !== undefined) parts.push(`[rewrite ${rewriteText(backend.rewrite)}]`);
  if (backend.requestHeaders !== undefined)
    parts.push(`[${modifierText('request', backend.requestHeaders).trim()}]`);
  if (backend.responseHeaders !== undefined)
    parts.push(`[${modifierText('response', backend.responseHeaders).trim()}]`);
  return parts.join(' ');
}

function rewriteText(rewrite: NormalizedRewrite): string {
  const parts: string[] = [];
  if (rewrite.hostname !== undefined) parts.push(`host=${rewrite.hostname}`);
  if (rewrite.path !== undefined) parts.push(`${rewrite.path.type}=${rewrite.path.value}`);
  return parts.join(' ');
}

function redirectText(redirect: NormalizedRedirect): string {
  const parts = [String(redirect.statusCode)];
  if (redirect.scheme !== undefined) parts.push(`scheme=${redirect.scheme}`);
  if (redirect.hostname !== undefined) parts.push(`host=${redirect.hostname}`);
  if (redirect.port !== undefined) parts.push(`port=${redirect.port}`);
  if (redirect.path !== undefined) parts.push(`${redirect.path.type}=${redirect.path.value}`);
  return parts.join(' ');
}

function modifierText(label: string, modifier: HeaderModifier | undefined): string {
  if (modifier === undefined) return '';
  const parts = [
    ...modifier.set.map((h) => `set ${h.name}=${h.value}`),
    ...modifier.add.map((h) => `add ${h.name}=${h.value}`),
    ...modifier.remove.map((name) => `remove ${name}`),
  ];
  return ` ${label}-headers(${parts.join(', ')})`;
}
