/**
 * Checks route status entries and Gateway listener statuses. A route's parent is found by
 * group/kind/namespace/name only (upstream's comparison ignores `sectionName` and `port`); when a
 * route has several entries for one parent (several listeners by sectionName), each must hold.
 */
import type { Condition, GatewayStatus, RouteStatus } from '@switchyard/core';
import type {
  ConditionExpectation,
  ListenerStatusExpectation,
  StatusExpectation,
} from './case-types.js';

const GATEWAY_GROUP = 'gateway.networking.k8s.io';

function showCondition(condition: Condition | undefined): string {
  if (!condition) return 'missing';
  return `${condition.status}/${condition.reason}${condition.message ? ` (${JSON.stringify(condition.message)})` : ''}`;
}

/** Each expected condition is present with its status (and reason when given). */
export function compareConditions(
  actual: readonly Condition[],
  expected: readonly ConditionExpectation[],
  where: string,
): string[] {
  return expected.flatMap((want) => {
    const found = actual.find((condition) => condition.type === want.type);
    const ok =
      found &&
      found.status === want.status &&
      (want.reason === undefined || found.reason === want.reason);
    if (ok) return [];
    const wanted = `${want.status}${want.reason ? `/${want.reason}` : ''}`;
    return [`${where}: condition ${want.type} is ${showCondition(found)}, expected ${wanted}`];
  });
}

/**
 * Checks one `statuses` entry against the routes' reported statuses.
 * @example checkRouteStatus({ route: 'infra/r', parent: { name: 'gw' }, absent: true, unknownKeys: [] }, routes)
 */
export function checkRouteStatus(
  expected: StatusExpectation,
  routes: readonly RouteStatus[],
): string[] {
  const [namespace, name] = expected.route.split('/') as [string, string];
  const parent = {
    group: expected.parent.group ?? GATEWAY_GROUP,
    kind: expected.parent.kind ?? 'Gateway',
    namespace: expected.parent.namespace ?? namespace,
    name: expected.parent.name,
  };
  const parentLabel = `${parent.kind} ${parent.namespace}/${parent.name}`;
  const route = routes.find(
    (candidate) => candidate.namespace === namespace && candidate.name === name,
  );
  const entries = (route?.parents ?? []).filter(
    (entry) =>
      entry.parentRef.group === parent.group &&
      entry.parentRef.kind === parent.kind &&
      entry.parentRef.namespace === parent.namespace &&
      entry.parentRef.name === parent.name,
  );
  if (expected.absent) {
    return entries.length === 0
      ? []
      : [`route ${expected.route} has a status entry for ${parentLabel}, expected none`];
  }
  if (!route) return [`route ${expected.route} has no status at all`];
  if (entries.length === 0) {
    const present = route.parents.map(
      (entry) => `${entry.parentRef.kind} ${entry.parentRef.namespace}/${entry.parentRef.name}`,
    );
    return [
      `route ${expected.route} has no status entry for ${parentLabel} (entries: ${present.join(', ') || 'none'})`,
    ];
  }
  return entries.flatMap((entry) => {
    const section = entry.parentRef.sectionName ? ` section ${entry.parentRef.sectionName}` : '';
    const where = `${expected.route} → ${parentLabel}${section}`;
    const problems = compareConditions(entry.conditions, expected.conditions ?? [], where);
    if (expected.messageContains !== undefined) {
      const text = expected.messageContains;
      if (!entry.conditions.some((condition) => condition.message.includes(text))) {
        const messages = entry.conditions.map(
          (condition) => `${condition.type}: ${JSON.stringify(condition.message)}`,
        );
        problems.push(
          `${where}: no condition message contains ${JSON.stringify(text)} (${messages.join('; ')})`,
        );
      }
    }
    if (expected.observedGeneration !== undefined) {
      if (entry.conditions.length === 0)
        problems.push(`${where}: no conditions to carry observedGeneration`);
      for (const condition of entry.conditions) {
        if (condition.observedGeneration !== expected.observedGeneration) {
          problems.push(
            `${where}: condition ${condition.type} has observedGeneration ${String(condition.observedGeneration)}, expected ${expected.observedGeneration}`,
          );
        }
      }
    }
    return problems;
  });
}

/**
 * Checks one `listenerStatuses` entry. `supportedKinds` must list exactly the expected kinds (all
 * of group gateway.networking.k8s.io): GatewayInvalidRouteKind requires that unsupported kinds
 * are left out, and `[]` means the list is empty.
 */
export function checkListenerStatus(
  expected: ListenerStatusExpectation,
  gateways: readonly GatewayStatus[],
): string[] {
  const gatewayLabel = `${expected.gateway.namespace}/${expected.gateway.name}`;
  const gateway = gateways.find(
    (candidate) =>
      candidate.namespace === expected.gateway.namespace &&
      candidate.name === expected.gateway.name,
  );
  if (!gateway) return [`Gateway ${gatewayLabel} has no status`];
  const listener = gateway.listeners.find((candidate) => candidate.name === expected.listener);
  const where = `Gateway ${gatewayLabel} listener ${expected.listener}`;
  if (!listener) {
    const names = gateway.listeners.map((candidate) => candidate.name).join(', ') || 'none';
    return [`${where}: no such listener status (listeners: ${names})`];
  }
  const problems: string[] = [];
  if (
    expected.attachedRoutes !== undefined &&
    listener.attachedRoutes !== expected.attachedRoutes
  ) {
    problems.push(
      `${where}: attachedRoutes is ${listener.attachedRoutes}, expected ${expected.attachedRoutes}`,
    );
  }
  if (expected.supportedKinds) {
    const actual = listener.supportedKinds.map((kind) =>
      kind.group === GATEWAY_GROUP ? kind.kind : `${kind.kind}.${kind.group}`,
    );
    const same =
      actual.length === expected.supportedKinds.length &&
      expected.supportedKinds.every((kind) => actual.includes(kind));
    if (!same) {
      problems.push(
        `${where}: supportedKinds is [${actual.join(', ')}], expected [${expected.supportedKinds.join(', ')}]`,
      );
    }
  }
  problems.push(...compareConditions(listener.conditions, expected.conditions ?? [], where));
  return problems;
}
