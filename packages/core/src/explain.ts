/**
 * `explain`: the decision `resolve` would make, with the reasoning that led to it. For the CLI's
 * `explain` command and for anyone asking "why did this request go there?". It runs the same code
 * as `resolve` with an observer attached, so the two cannot disagree.
 */
import type { Decision, ListenerRef, ResolveRequest, RouteRef } from './decision.js';
import type { RouteTable, TableListener } from './table.js';
import type { IndexEntry } from './match/build-index.js';
import { hostBucketOrder } from './match/lookup.js';
import { mismatchReason } from './match/prepared.js';
import { formatRouteRef } from './format.js';
import { resolveTraced, type ResolveTracer } from './resolve.js';
import { delegationFacts, type DelegationFacts } from './explain-delegation.js';
import type { NormalizedMatch } from './api/normalized.js';
import { requestHost } from './match/hostname.js';
import { normalizeTarget } from './match/normalize-path.js';
import { RequestView } from './match/request-view.js';

export interface Explanation {
  readonly decision: Decision;
  readonly trace: readonly TraceStep[];
}

/**
 * One step of the reasoning, in the order it happened:
 *
 * - `path`: the normalised path and query, or why the target was rejected (400);
 * - `listener`: the listener chosen and why, or why none was (404 / 421), plus every listener
 *   passed over with the reason;
 * - `hosts`: the request host and the hostname buckets of that listener, in the order tried
 *   (exact host, `*.` suffixes longest first, `*` for routes without hostnames);
 * - `candidate`: one route examined, in the order examined (only those the index could not rule
 *   out by path), with the first reason it failed: `path`, `method`, `header <name>`,
 *   `query <name>`, or `guard <ns/name#rule>: <reason>` when an ancestor's delegated match failed
 *   (`guard` then names that chain element);
 * - `winner`: the route that matched and its chain, top-level route first;
 * - `delegation` (after a 404 only): each delegated scope (`TableListener.scopes`) whose hostnames
 *   and path conditions (its own and its ancestors') the request meets, enclosing scopes first;
 *   why its other conditions fail, if they do; every child flattened under it with the first
 *   thing it did not match; and the child paths nearest to the request's ({@link DelegationFacts}).
 */
export type TraceStep =
  | {
      readonly step: 'path';
      readonly target: string;
      readonly path?: string;
      readonly query?: string;
      readonly rejected?: string;
    }
  | {
      readonly step: 'listener';
      readonly chosen?: ListenerRef;
      readonly reason: string;
      readonly rejected: readonly { readonly listener: ListenerRef; readonly reason: string }[];
    }
  | { readonly step: 'hosts'; readonly host?: string; readonly buckets: readonly string[] }
  | {
      readonly step: 'candidate';
      readonly bucket: string;
      readonly rank: number;
      readonly chain: readonly RouteRef[];
      readonly matched: boolean;
      readonly reason?: string;
      readonly guard?: RouteRef;
    }
  | { readonly step: 'winner'; readonly rank: number; readonly chain: readonly RouteRef[] }
  | DelegationFacts;

/**
 * Resolves a request and records why.
 *
 * @example
 * ```ts
 * const { decision, trace } = explain(table, { method: 'GET', host: 'example.com', path: '/v2/x' });
 * console.log(formatTrace(trace));
 * ```
 */
export function explain(table: RouteTable, request: ResolveRequest): Explanation {
  const trace: TraceStep[] = [];
  let chosen: TableListener | undefined;
  const tracer: ResolveTracer = {
    path(result) {
      if (!result.ok) {
        trace.push({ step: 'path', target: request.path, rejected: result.reason });
        return;
      }
      const query = result.query === undefined ? {} : { query: result.query };
      trace.push({ step: 'path', target: request.path, path: result.path, ...query });
    },
    listener(selection, rejected, host) {
      const passedOver = rejected.map((r) => ({ listener: ref(r.listener), reason: r.reason }));
      if (selection.ok) {
        chosen = selection.listener;
        const reason = whyListener(chosen, host);
        trace.push({ step: 'listener', chosen: ref(chosen), reason, rejected: passedOver });
        return;
      }
      const reason =
        selection.status === 421
          ? `misdirected request: the TLS server name selects ${selection.listener?.name ?? 'no listener'}, the host ${host ?? '(none)'} another`
          : `no listener for host ${host ?? '(none)'}`;
      trace.push({ step: 'listener', reason, rejected: passedOver });
    },
    hosts(index, host) {
      const buckets = hostBucketOrder(index, host);
      trace.push(
        host === undefined ? { step: 'hosts', buckets } : { step: 'hosts', host, buckets },
      );
    },
    candidate(entry, matched, bucket, view) {
      const chain = entry.route.chain;
      if (matched) {
        trace.push({ step: 'candidate', bucket, rank: entry.rank, chain, matched });
        trace.push({ step: 'winner', rank: entry.rank, chain });
        return;
      }
      trace.push({
        step: 'candidate',
        bucket,
        rank: entry.rank,
        chain,
        matched,
        ...failure(entry, view),
      });
    },
  };
  const decision = resolveTraced(table, request, tracer);
  if (chosen !== undefined && decision.kind === 'respond' && decision.status === 404) {
    const target = normalizeTarget(request.path);
    if (target.ok) {
      const view = new RequestView(request.method, target.path, target.query, request.headers);
      trace.push(...delegationFacts(chosen, requestHost(request), view));
    }
  }
  return { decision, trace };
}

function failure(entry: IndexEntry, view: RequestView): { reason: string; guard?: RouteRef } {
  for (const check of entry.checks) {
    const reason = mismatchReason(check.match, view);
    if (reason === undefined) continue;
    if (check.guard < 0) return { reason };
    const guard = entry.route.chain[check.guard];
    if (guard === undefined) return { reason: `guard ${check.guard}: ${reason}` };
    return { reason: `guard ${formatRouteRef(guard)}: ${reason}`, guard };
  }
  return { reason: 'no match' };
}

function whyListener(listener: TableListener, host: string | undefined): string {
  const hostname = listener.hostname;
  if (hostname === undefined) return 'no hostname: serves every host';
  if (hostname.startsWith('*.')) return `wildcard hostname ${hostname} matches ${host ?? ''}`;
  return `exact hostname ${hostname}`;
}

function ref(listener: TableListener): ListenerRef {
  return { name: listener.name, port: listener.port };
}

/**
 * The trace as text, one line per step.
 *
 * @example
 * ```text
 * path /v2/x
 * listener http:80 (no hostname: serves every host)
 * hosts example.com: example.com, *
 * candidate #3 [example.com] infra/a#0: header version
 * winner #5 infra/parent#0 > team/child#1
 * ```
 */
export function formatTrace(trace: readonly TraceStep[] | Explanation): string {
  const steps = 'trace' in trace ? trace.trace : trace;
  return steps.map(formatStep).join('\n');
}

function formatStep(step: TraceStep): string {
  switch (step.step) {
    case 'path':
      if (step.rejected !== undefined) return `path ${step.target} rejected: ${step.rejected}`;
      return `path ${step.path ?? ''}${step.query === undefined ? '' : `?${step.query}`}`;
    case 'listener': {
      const chosen = step.chosen === undefined ? 'none' : `${step.chosen.name}:${step.chosen.port}`;
      const others = step.rejected.map((r) => `; not ${r.listener.name}: ${r.reason}`).join('');
      return `listener ${chosen} (${step.reason})${others}`;
    }
    case 'hosts':
      return `hosts ${step.host ?? '(no host)'}: ${step.buckets.join(', ') || '(no routes)'}`;
    case 'candidate':
      return step.matched
        ? `candidate #${step.rank} [${step.bucket}] ${chainText(step.chain)}: match`
        : `candidate #${step.rank} [${step.bucket}] ${chainText(step.chain)}: ${step.reason ?? ''}`;
    case 'winner':
      return `winner #${step.rank} ${chainText(step.chain)}`;
    case 'delegation':
      return formatDelegation(step);
  }
}

/** Several lines: the covering delegation, each child tried, the nearest paths. */
function formatDelegation(step: DelegationFacts): string {
  const parent = step.parent[step.parent.length - 1]!;
  const selects = step.selects
    .map((s) =>
      s.kind === 'label'
        ? `label ${s.name} in ${s.namespace}`
        : `HTTPRoute ${s.namespace}/${s.name}`,
    )
    .join(', ');
  const lines = [
    `delegation ${formatRouteRef(parent)} ${matchText(step.match)} selects ${selects}` +
      (step.parentReason === undefined ? '' : ` (parent match fails: ${step.parentReason})`),
  ];
  if (step.children.length === 0) lines.push('  no child routes');
  for (const child of step.children) {
    lines.push(
      `  tried ${chainText(child.chain.slice(step.parent.length))} ${matchText(child.match)}: ${child.reason}`,
    );
  }
  if (step.nearest.length > 0) lines.push(`  nearest paths: ${step.nearest.join(', ')}`);
  return lines.join('\n');
}

function matchText(match: NormalizedMatch): string {
  const parts = [`${match.path.type} ${match.path.value}`];
  if (match.method !== undefined) parts.push(`method ${match.method}`);
  for (const h of match.headers)
    parts.push(`header ${h.name}${h.type === 'Exact' ? '=' : '~'}${h.value}`);
  for (const q of match.queryParams)
    parts.push(`query ${q.name}${q.type === 'Exact' ? '=' : '~'}${q.value}`);
  return `(${parts.join(', ')})`;
}

function chainText(chain: readonly RouteRef[]): string {
  return chain.map(formatRouteRef).join(' > ');
}
