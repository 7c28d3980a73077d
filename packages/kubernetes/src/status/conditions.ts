/**
 * Conditions as the API stores them (`metav1.Condition`): what `compile` reports, plus the
 * required `lastTransitionTime`. That time moves only when a condition's status changes, and it
 * is the one field ignored when deciding whether a status needs writing.
 */
import type { Condition } from '@switchyard/core';

export interface WireCondition {
  readonly type: string;
  readonly status: string;
  readonly reason: string;
  readonly message: string;
  readonly observedGeneration?: number;
  readonly lastTransitionTime: string;
}

/** `maxLength` of a condition message in the Gateway API CRDs (metav1.Condition). */
export const MAX_MESSAGE = 32768;

/** RFC 3339 with second precision, as Kubernetes writes `metav1.Time`. */
export function timestamp(date: Date): string {
  return new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * Conditions to write: `desired`, each keeping the `lastTransitionTime` of the existing condition
 * of the same type when its status did not change.
 */
export function withTransitionTimes(
  desired: readonly Condition[],
  existing: readonly unknown[] | undefined,
  now: string,
): WireCondition[] {
  return desired.map((condition) => {
    const previous = (existing ?? []).map(asRecord).find((c) => c['type'] === condition.type);
    const kept =
      previous &&
      previous['status'] === condition.status &&
      typeof previous['lastTransitionTime'] === 'string'
        ? previous['lastTransitionTime']
        : now;
    return {
      type: condition.type,
      status: condition.status,
      reason: condition.reason,
      // The CRDs reject longer messages, and with them the whole status write.
      message:
        condition.message.length > MAX_MESSAGE
          ? `${condition.message.slice(0, MAX_MESSAGE - 3)}...`
          : condition.message,
      ...(condition.observedGeneration !== undefined
        ? { observedGeneration: condition.observedGeneration }
        : {}),
      lastTransitionTime: kept,
    };
  });
}

/** The comparable part of a list of conditions: every field but `lastTransitionTime`, in order. */
export function conditionsKey(conditions: readonly unknown[] | undefined): string {
  return JSON.stringify(
    (conditions ?? [])
      .map(asRecord)
      .map((c) => [c['type'], c['status'], c['reason'], c['message'], c['observedGeneration']]),
  );
}

export function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

export function asList(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}
