/** Builders shared by the normalise tests. */
import { expect } from 'vitest';
import { normalize } from '../../src/api/normalize.js';
import type {
  FieldProblem,
  NormalizedGateway,
  NormalizedRoute,
  NormalizedRule,
} from '../../src/api/normalized.js';

export const GROUP = 'gateway.networking.k8s.io';

export function httpRoute(
  spec: unknown,
  metadata: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    apiVersion: `${GROUP}/v1`,
    kind: 'HTTPRoute',
    metadata: { name: 'web', namespace: 'apps', ...metadata },
    spec,
  };
}

export function gateway(
  spec: unknown,
  metadata: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    apiVersion: `${GROUP}/v1`,
    kind: 'Gateway',
    metadata: { name: 'gw', namespace: 'infra', ...metadata },
    spec,
  };
}

/** The one route `spec` normalises to. */
export function routeOf(spec: unknown, metadata?: Record<string, unknown>): NormalizedRoute {
  const { objects } = normalize([httpRoute(spec, metadata)]);
  expect(objects.routes).toHaveLength(1);
  return objects.routes[0]!;
}

/** The problems of a route whose only rule is `rule` (empty when the rule is valid). */
export function ruleProblems(rule: unknown): readonly FieldProblem[] {
  const route = routeOf({ rules: [rule] });
  expect(route.specProblems).toEqual([]);
  return route.droppedRules[0]?.problems ?? [];
}

/** The normalised form of a valid single rule. */
export function ruleOf(rule: unknown): NormalizedRule {
  const route = routeOf({ rules: [rule] });
  expect(route.droppedRules).toEqual([]);
  expect(route.specProblems).toEqual([]);
  return route.rules[0]!;
}

/** The problems of a route (outside its rules). */
export function specProblems(spec: unknown): readonly FieldProblem[] {
  return routeOf(spec).specProblems;
}

export function gatewayOf(spec: unknown): NormalizedGateway {
  const { objects } = normalize([gateway(spec)]);
  expect(objects.gateways).toHaveLength(1);
  return objects.gateways[0]!;
}

export const backend = { name: 'svc', port: 8080 };
