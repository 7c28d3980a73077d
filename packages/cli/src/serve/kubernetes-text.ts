/** What `serve --kubernetes` prints about the cluster, from the source's data. */
import type { SourceProblem } from '@switchyard/kubernetes';

/**
 * One line per problem and one with its fix, e.g.
 * `problem: forbidden endpointslices.discovery.k8s.io: 403 Forbidden: ...` / `  fix: grant ...`.
 */
export function problemLines(problems: readonly SourceProblem[]): string[] {
  return problems.flatMap((p) => [
    `problem: ${p.code} ${p.subject}: ${p.detail}`,
    `  fix: ${p.fix}`,
  ]);
}

/** The problems in `now` that were not in `before` (same code, subject and detail). */
export function newProblems(
  before: readonly SourceProblem[],
  now: readonly SourceProblem[],
): SourceProblem[] {
  const key = (p: SourceProblem) => `${p.code}\0${p.subject}\0${p.detail}`;
  const seen = new Set(before.map(key));
  return now.filter((p) => !seen.has(key(p)));
}

/** The listeners (name, protocol) in the spec of the Gateway `key` among `gateways`. */
export function specListeners(
  gateways: readonly {
    readonly metadata?: { namespace?: string; name?: string };
    readonly [field: string]: unknown;
  }[],
  key: { readonly namespace: string; readonly name: string },
): { name: string; protocol: string }[] {
  const served = gateways.find(
    (g) => g.metadata?.namespace === key.namespace && g.metadata?.name === key.name,
  );
  const spec = served?.['spec'] as
    { listeners?: { name?: string; protocol?: string }[] } | undefined;
  return (spec?.listeners ?? []).map((listener) => ({
    name: String(listener.name),
    protocol: String(listener.protocol),
  }));
}
