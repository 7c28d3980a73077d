/**
 * Failures are loud: whatever stands between the source and its Gateway (the API server
 * unreachable, RBAC refusing a list, CRDs not installed, the Gateway missing) is reported by
 * `problems()` and a `problems` event within seconds, naming the resource and the fix; the source
 * keeps retrying and serves as soon as the cause is gone.
 */
import { describe, expect, it } from 'vitest';
import type { KubernetesSourceEvent, SourceProblem } from '../src/index.js';
import { DEFAULT_FAKE_RESOURCES, createFakeApiServer } from '../src/testing/index.js';
import {
  basicObjects,
  closeAfterEach,
  cluster,
  gateway,
  startSource,
  waitFor,
} from './fixtures.js';

const open = closeAfterEach();

function problemEvents(events: readonly KubernetesSourceEvent[]): (readonly SourceProblem[])[] {
  return events.flatMap((e) => (e.type === 'problems' ? [e.problems] : []));
}

describe('source problems', () => {
  it('an unreachable API server is one problem naming the server, until it answers', async () => {
    const api = (open.api = await cluster(basicObjects()));
    await api.stop();
    const { source, events } = startSource(api);
    open.sources.push(source);
    await waitFor(() => source.problems().length > 0, 3000, 'a problem');
    expect(source.problems()).toEqual([
      expect.objectContaining({ code: 'unreachable', subject: api.url }),
    ]);
    expect(source.problems()[0]!.detail).toMatch(/ECONNREFUSED/);
    await api.start();
    await source.ready;
    await waitFor(() => source.problems().length === 0, 5000, 'no problem');
    expect(source.current().listeners).toHaveLength(1);
    expect(problemEvents(events).at(-1)).toEqual([]);
  });

  it('a 403 on any list names the resource and the RBAC fix, and nothing is served meanwhile', async () => {
    const api = (open.api = await cluster(basicObjects()));
    api.fail({ path: '/endpointslices', status: 403, times: 1_000_000 });
    const { source } = startSource(api);
    open.sources.push(source);
    await waitFor(() => source.problems().length > 0, 3000, 'a problem');
    const [problem] = source.problems();
    expect(problem).toMatchObject({
      code: 'forbidden',
      subject: 'endpointslices.discovery.k8s.io',
    });
    expect(problem!.fix).toContain('grant list and watch on endpointslices.discovery.k8s.io');
    expect(source.current().listeners).toHaveLength(0);
  });

  it('a 401 is unauthorized: the credentials, not the rules, need fixing', async () => {
    const api = (open.api = await cluster(basicObjects()));
    api.fail({ path: '/gateways', status: 401, times: 1_000_000 });
    const { source } = startSource(api);
    open.sources.push(source);
    await waitFor(() => source.problems().length > 0, 3000, 'a problem');
    expect(source.problems()).toEqual([
      expect.objectContaining({
        code: 'unauthorized',
        subject: 'gateways.gateway.networking.k8s.io',
      }),
    ]);
    expect(source.problems()[0]!.fix).toContain('renew them');
  });

  it('Gateway API CRDs not installed: crd-missing for each, with the install command', async () => {
    const gatewayApi = new Set(['gatewayclasses', 'gateways', 'httproutes', 'referencegrants']);
    const api = (open.api = await createFakeApiServer({
      resources: DEFAULT_FAKE_RESOURCES.filter((r) => !gatewayApi.has(r.plural)),
    }));
    const { source } = startSource(api);
    open.sources.push(source);
    await source.ready;
    const problems = source.problems();
    expect(problems.map((p) => [p.code, p.subject])).toEqual([
      ['crd-missing', 'gatewayclasses.gateway.networking.k8s.io'],
      ['crd-missing', 'gateways.gateway.networking.k8s.io'],
      ['crd-missing', 'httproutes.gateway.networking.k8s.io'],
      ['crd-missing', 'referencegrants.gateway.networking.k8s.io'],
    ]);
    expect(problems[0]!.fix).toContain('standard-install.yaml');
  });

  it('a missing Gateway is a problem until it is created, then it is served', async () => {
    const api = (open.api = await cluster(basicObjects().filter((o) => o.kind !== 'Gateway')));
    const { source } = startSource(api);
    open.sources.push(source);
    await source.ready;
    expect(source.problems()).toEqual([
      expect.objectContaining({ code: 'gateway-missing', subject: 'Gateway gw/http' }),
    ]);
    api.apply(gateway());
    await waitFor(() => source.current().listeners.length === 1, 5000, 'the Gateway served');
    expect(source.problems()).toEqual([]);
  });
});
