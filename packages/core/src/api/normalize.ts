/**
 * The first pipeline stage: arbitrary input (objects parsed from YAML or read from an API server,
 * possibly garbage) → {@link NormalizedObjects}, with every API default applied and every
 * structural and CEL rule checked. Never throws. The output never depends on the order of the
 * input: duplicates are resolved by content, lists are sorted by key.
 */
import type { Diagnostic } from '../status.js';
import { get, isRecord, type JsonRecord, type Problems } from './field-path.js';
import type {
  NormalizedGateway,
  NormalizedNamespace,
  NormalizedObjects,
  NormalizedReferenceGrant,
  NormalizedRoute,
  NormalizedSecret,
  NormalizedService,
  NormalizedStaticBackend,
  ObjectKey,
} from './normalized.js';
import { normalizeGateway } from './normalize-gateway.js';
import {
  normalizeNamespace,
  normalizeReferenceGrant,
  normalizeSecret,
  normalizeService,
  normalizeStaticBackend,
} from './normalize-others.js';
import { normalizeRoute } from './normalize-route.js';
import { GATEWAY_GROUP, KGATEWAY_GROUP } from './objects.js';
import { stableJson } from './stable-json.js';

/** The kinds understood, each with its API group and whether it lives in a namespace. */
const KINDS = {
  HTTPRoute: { group: GATEWAY_GROUP, namespaced: true },
  Gateway: { group: GATEWAY_GROUP, namespaced: true },
  ReferenceGrant: { group: GATEWAY_GROUP, namespaced: true },
  Service: { group: '', namespaced: true },
  Secret: { group: '', namespaced: true },
  Namespace: { group: '', namespaced: false },
  Backend: { group: KGATEWAY_GROUP, namespaced: true },
} as const;
type Kind = keyof typeof KINDS;

/** An input object whose kind, namespace and name could be read. */
interface Entry extends ObjectKey {
  readonly index: number;
  readonly kind: Kind;
  readonly raw: JsonRecord;
}

export interface NormalizeResult {
  readonly objects: NormalizedObjects;
  readonly diagnostics: Diagnostic[];
}

function isKind(kind: string): kind is Kind {
  return Object.hasOwn(KINDS, kind);
}

/** The group of an `apiVersion` (`gateway.networking.k8s.io/v1` → the group, `v1` → ''). */
function groupOf(apiVersion: unknown): string | undefined {
  if (typeof apiVersion !== 'string') return undefined;
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

function readEntry(value: unknown, index: number, diagnostics: Diagnostic[]): Entry | undefined {
  const fail = (
    severity: Diagnostic['severity'],
    code: string,
    message: string,
    object = {},
  ): undefined => {
    diagnostics.push({ severity, code, message, index, object });
    return undefined;
  };
  if (!isRecord(value)) return fail('error', 'not-an-object', `object ${index} is not an object`);
  const kind = get(value, 'kind');
  if (typeof kind !== 'string' || kind === '')
    return fail('error', 'missing-kind', `object ${index} has no kind`);
  const metadata = get(value, 'metadata');
  const name = get(metadata, 'name');
  const rawNamespace = get(metadata, 'namespace');
  const object = {
    kind,
    ...(typeof name === 'string' ? { name } : {}),
    ...(typeof rawNamespace === 'string' ? { namespace: rawNamespace } : {}),
  };
  const apiVersion = get(value, 'apiVersion');
  if (!isKind(kind) || (apiVersion !== undefined && groupOf(apiVersion) !== KINDS[kind].group)) {
    const what = apiVersion === undefined ? kind : `${String(apiVersion)} ${kind}`;
    return fail(
      'warning',
      'unknown-kind',
      `object ${index}: ${what} is not a kind Switchyard reads; ignored`,
      object,
    );
  }
  if (typeof name !== 'string' || name === '') {
    return fail('error', 'missing-name', `object ${index} (${kind}) has no metadata.name`, object);
  }
  if (!KINDS[kind].namespaced) return { index, kind, raw: value, namespace: '', name };
  if (rawNamespace !== undefined && typeof rawNamespace !== 'string') {
    return fail(
      'error',
      'invalid-metadata',
      `${kind} ${name}: metadata.namespace must be a string`,
      object,
    );
  }
  // Namespaced objects without a namespace land in `default`, as kubectl would put them.
  return { index, kind, raw: value, namespace: rawNamespace || 'default', name };
}

/**
 * Of several objects with the same kind, namespace and name, keeps the one whose canonical JSON
 * sorts first, so the choice does not depend on input order; reports the others.
 */
function dropDuplicates(entries: readonly Entry[], diagnostics: Diagnostic[]): Entry[] {
  const groups = new Map<string, Entry[]>();
  for (const entry of entries) {
    const id = JSON.stringify([entry.kind, entry.namespace, entry.name]);
    groups.set(id, [...(groups.get(id) ?? []), entry]);
  }
  const kept: Entry[] = [];
  for (const group of groups.values()) {
    if (group.length === 1) {
      kept.push(group[0]!);
      continue;
    }
    const ranked = group
      .map((entry) => ({ entry, json: stableJson(entry.raw) }))
      .sort((a, b) => (a.json < b.json ? -1 : a.json > b.json ? 1 : a.entry.index - b.entry.index));
    const [first, ...rest] = ranked.map(({ entry }) => entry);
    kept.push(first!);
    for (const duplicate of rest) {
      const { kind, namespace, name } = duplicate;
      diagnostics.push({
        severity: 'warning',
        code: 'duplicate-object',
        message: `${kind} ${namespace ? `${namespace}/` : ''}${name} appears more than once; object ${duplicate.index} ignored, object ${first!.index} kept (its content sorts first)`,
        index: duplicate.index,
        object: { kind, ...(namespace ? { namespace } : {}), name },
      });
    }
  }
  return kept;
}

function byKey<T extends ObjectKey>(a: T, b: T): number {
  const ka = `${a.namespace}/${a.name}`;
  const kb = `${b.namespace}/${b.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function sortedMap<T>(entries: [string, T][]): Map<string, T> {
  return new Map(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Normalises Kubernetes objects for `compile`. HTTPRoute and Gateway problems stay on the
 * normalised objects (`specProblems`, `droppedRules`, `problems`) for statuses; everything else
 * becomes a diagnostic (sorted by input index), with one of these codes:
 * - `not-a-list` (the input itself), `not-an-object`, `missing-kind`, `missing-name`,
 *   `invalid-metadata` (a non-string namespace): errors, the object is ignored;
 * - `unknown-kind` (a kind, or a kind of another API group, Switchyard does not read) and
 *   `duplicate-object`: warnings, the object is ignored;
 * - `invalid-field`: an error in a ReferenceGrant, Service, Namespace, Secret or Backend, with
 *   `path`; the invalid entry is left out (a Backend of another type than Static is left out);
 * - `internal-error`: a bug in normalise; the object is left out rather than thrown.
 *
 * @example
 * const { objects, diagnostics } = normalize([
 *   { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'web' }, spec: {} },
 * ]);
 * objects.routes[0].key            // 'default/web'
 * objects.routes[0].rules[0].matches // [{ path: { type: 'PathPrefix', value: '/' }, headers: [], queryParams: [] }]
 */
export function normalize(objects: readonly unknown[]): NormalizeResult {
  const diagnostics: Diagnostic[] = [];
  const input: readonly unknown[] = Array.isArray(objects) ? objects : [];
  if (!Array.isArray(objects)) {
    diagnostics.push({
      severity: 'error',
      code: 'not-a-list',
      message: 'the input is not a list of objects',
    });
  }
  const entries = input.flatMap((value, index) => readEntry(value, index, diagnostics) ?? []);
  const routes: NormalizedRoute[] = [];
  const gateways: NormalizedGateway[] = [];
  const referenceGrants: NormalizedReferenceGrant[] = [];
  const services: [string, NormalizedService][] = [];
  const namespaces: [string, NormalizedNamespace][] = [];
  const secrets: [string, NormalizedSecret][] = [];
  const backends: [string, NormalizedStaticBackend][] = [];

  for (const entry of dropDuplicates(entries, diagnostics)) {
    const { raw, kind, namespace, name } = entry;
    const key = { namespace, name };
    const id = `${namespace}/${name}`;
    const problems: Problems = [];
    try {
      if (kind === 'HTTPRoute') routes.push(normalizeRoute(raw, key));
      else if (kind === 'Gateway') gateways.push(normalizeGateway(raw, key));
      else if (kind === 'ReferenceGrant')
        referenceGrants.push(normalizeReferenceGrant(raw, key, problems));
      else if (kind === 'Service') services.push([id, normalizeService(raw, key, problems)]);
      else if (kind === 'Secret') secrets.push([id, normalizeSecret(raw, key, problems)]);
      else if (kind === 'Namespace')
        namespaces.push([name, normalizeNamespace(raw, name, problems)]);
      else {
        const backend = normalizeStaticBackend(raw, key, problems);
        if (backend) backends.push([id, backend]);
      }
    } catch (error) {
      // Defence in depth: a bug here must not take down a data plane reloading its config.
      const detail = error instanceof Error ? error.message : String(error);
      problems.push({ path: '', message: `internal error while normalising: ${detail}` });
    }
    const object = { kind, ...(namespace ? { namespace } : {}), name };
    const label = `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
    for (const problem of problems) {
      const internal = problem.path === '';
      diagnostics.push({
        severity: 'error',
        code: internal ? 'internal-error' : 'invalid-field',
        message: internal
          ? `${label}: ${problem.message}`
          : `${label}: ${problem.path}: ${problem.message}`,
        index: entry.index,
        object,
        ...(internal ? {} : { path: problem.path }),
      });
    }
  }

  diagnostics.sort((a, b) => (a.index ?? -1) - (b.index ?? -1));
  return {
    objects: {
      routes: routes.sort(byKey),
      gateways: gateways.sort(byKey),
      referenceGrants: referenceGrants.sort(byKey),
      services: sortedMap(services),
      namespaces: sortedMap(namespaces),
      secrets: sortedMap(secrets),
      backends: sortedMap(backends),
    },
    diagnostics,
  };
}
