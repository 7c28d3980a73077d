/** What `serve --kubernetes` prints about the cluster, from the source's data. */
import type { Finding } from '@switchyard/core';
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

/**
 * One line per rule-27 finding, on the object that causes it, as `check` words them, e.g.
 * `error: Backend banking/loop spec.static.hosts[0]: 127.0.0.1:8080 is one of the gateway's own addresses: ... [self-target]`.
 */
export function findingLines(findings: readonly Finding[]): string[] {
  return findings.map((f) => {
    const { kind, namespace, name } = f.object;
    const at = f.path === undefined ? '' : ` ${f.path}`;
    const affects = f.affects.length === 0 ? '' : ` (affects ${f.affects.join(', ')})`;
    return `${f.severity}: ${kind} ${namespace}/${name}${at}: ${f.message}${affects} [${f.code}]`;
  });
}

/** The findings in `now` that were not in `before`: each is said once, when it appears. */
export function newFindings(before: readonly Finding[], now: readonly Finding[]): Finding[] {
  const key = (f: Finding) =>
    JSON.stringify([f.code, f.object.kind, f.object.namespace, f.object.name, f.path, f.message]);
  const seen = new Set(before.map(key));
  return now.filter((f) => !seen.has(key(f)));
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
