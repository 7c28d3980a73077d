/**
 * examples/delegation, applied to a (fake) cluster the way docs/kubernetes.md applies it to kind:
 * the source serves what `compile` makes of the same files, and every route's status carries our
 * entries as `compile` reports them.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile, formatTable } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { KubernetesSource } from '../src/index.js';
import type { FakeApiServer, FakeObject } from '../src/testing/index.js';
import { CONTROLLER, caughtUp, cluster, gatewayClass, startSource } from './fixtures.js';

const exampleDir = fileURLToPath(new URL('../../../examples/delegation/', import.meta.url));
const gateway = { namespace: 'kgateway-system', name: 'http' };

/** Every Kubernetes object in the example's team folders (not the local backend map). */
function exampleObjects(): FakeObject[] {
  return ['platform', 'banking', 'insurance', 'payments'].flatMap((folder) =>
    readdirSync(join(exampleDir, folder))
      .filter((file) => file.endsWith('.yaml'))
      .flatMap((file) =>
        parseAllDocuments(readFileSync(join(exampleDir, folder, file), 'utf8')).map(
          (d) => d.toJS() as FakeObject,
        ),
      )
      .filter((object) => object !== null && typeof object.kind === 'string'),
  );
}

describe('examples/delegation on a cluster', () => {
  let api: FakeApiServer;
  let source: KubernetesSource;
  const objects = exampleObjects();

  beforeAll(async () => {
    // The example's Gateway is of class kgateway: here that class is ours.
    api = await cluster([gatewayClass('kgateway'), ...objects]);
    source = startSource(api, { gateway }).source;
    await source.ready;
    await caughtUp(api, source);
  });
  afterAll(async () => {
    await source.close();
    await api.close();
  });

  it('serves the table compile makes of the same files', () => {
    const stored = objects.map((o) =>
      api.get({
        ...(o.apiVersion ? { apiVersion: o.apiVersion } : {}),
        kind: o.kind!,
        ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
        name: o.metadata.name,
      })!,
    );
    const expected = compile(stored, { gateway });
    expect(formatTable(source.current())).toBe(formatTable(expected.table));
    expect(formatTable(source.current())).toContain('PathPrefix /banking/accounts');
  });

  it('writes every evaluated route status, and the parent route counts on the listener', () => {
    const statuses = source.result()!.statuses;
    expect(statuses.length).toBeGreaterThanOrEqual(6);
    for (const status of statuses) {
      const stored = api.get({
        kind: 'HTTPRoute',
        namespace: status.namespace,
        name: status.name,
      })!;
      const parents = (
        stored.status as {
          parents: {
            controllerName: string;
            parentRef: unknown;
            conditions: { lastTransitionTime: string }[];
          }[];
        }
      ).parents;
      expect(
        parents.map((p) => ({
          parentRef: p.parentRef,
          conditions: p.conditions.map(({ lastTransitionTime: _t, ...c }) => c),
        })),
      ).toEqual(status.parents);
      expect(parents.every((p) => p.controllerName === CONTROLLER)).toBe(true);
    }
    const listeners = (
      api.get({ kind: 'Gateway', ...gateway })!.status as {
        listeners: { attachedRoutes: number }[];
      }
    ).listeners;
    expect(listeners.map((l) => l.attachedRoutes)).toEqual([1]);
  });
});
