/**
 * The correctness check run before any timing: all three routers must send every request of the
 * mix to the equivalent route (or to none), and that route must be the one the mix expects.
 * A benchmark of routers that disagree would compare different work.
 */
import { resolve, type Decision, type RouteTable } from '@switchyard/core';
import { ROUTE_TEMPLATES } from './layout.js';
import { findMyWayKey, type FindMyWayRouter, type Rou3Router } from './peers.js';
import { equivalenceKey, NO_ROUTE, type BenchRequest } from './requests.js';
import { findRoute } from 'rou3';

export interface Routers {
  readonly table: RouteTable;
  readonly findMyWay: FindMyWayRouter;
  readonly rou3: Rou3Router;
}

export interface SanityReport {
  readonly total: number;
  readonly agreeing: number;
  readonly hits: number;
  readonly misses: number;
  /** The first few disagreements, printable. */
  readonly problems: readonly string[];
}

/** The key switchyard's decision names: the winning child rule's equivalence class. */
export function switchyardKey(decision: Decision): string {
  if (decision.kind === 'respond') {
    return decision.status === 404 ? NO_ROUTE : `respond ${decision.status} ${decision.reason}`;
  }
  const template = ROUTE_TEMPLATES[decision.route.ruleIndex];
  return template === undefined
    ? `rule ${decision.route.ruleIndex}?`
    : equivalenceKey(decision.route.namespace, decision.route.name, template.equivalence);
}

/** Routes every request through all three routers and compares with the expectation. */
export function checkRouters(routers: Routers, requests: readonly BenchRequest[]): SanityReport {
  const problems: string[] = [];
  let agreeing = 0;
  let hits = 0;
  for (const request of requests) {
    const got = {
      switchyard: switchyardKey(resolve(routers.table, request.resolve)),
      'find-my-way': findMyWayKey(routers.findMyWay, request.method, request.path) ?? NO_ROUTE,
      rou3: findRoute(routers.rou3, request.method, request.path)?.data ?? NO_ROUTE,
    };
    const wrong = Object.entries(got).filter(([, key]) => key !== request.expected);
    if (wrong.length === 0) agreeing++;
    else if (problems.length < 10) {
      problems.push(
        `${request.kind}: ${request.method} ${request.path} expected ${request.expected}, ` +
          wrong.map(([router, key]) => `${router} gave ${key}`).join(', '),
      );
    }
    if (request.expected !== NO_ROUTE) hits++;
  }
  return { total: requests.length, agreeing, hits, misses: requests.length - hits, problems };
}
