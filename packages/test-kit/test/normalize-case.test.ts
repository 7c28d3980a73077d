import { describe, expect, it } from 'vitest';
import {
  applyUpdate,
  hostWithoutPort,
  needsOf,
  normalizeRequest,
  parseCaseFile,
  unmetNeeds,
} from '../src/index.js';
import type { Observable, RequestCase, UpdateStep } from '../src/index.js';

const caseFile = parseCaseFile(
  `
name: Defaults
description: two gateways
features: [Gateway]
objects:
  - kind: Gateway
    metadata: { namespace: infra, name: first }
    spec:
      listeners:
        - { name: tls, port: 443, protocol: HTTPS }
        - { name: http, port: 8080, protocol: HTTP }
        - { name: http2, port: 80, protocol: HTTP }
  - kind: Gateway
    metadata: { namespace: infra, name: second }
    spec: { listeners: [{ name: http, port: 9090, protocol: HTTP }] }
  - kind: HTTPRoute
    metadata: { namespace: infra, name: r }
    spec: { hostnames: [a.example] }
`,
  'defaults.yaml',
);

describe('normalizeRequest', () => {
  it('fills in GET, http, the first HTTP listener of the first Gateway', () => {
    expect(normalizeRequest({ path: '/' }, caseFile, caseFile.objects)).toEqual({
      method: 'GET',
      scheme: 'http',
      port: 8080,
      path: '/',
      headers: {},
      gateway: { namespace: 'infra', name: 'first' },
      protocol: 'HTTP/1.1',
      websocket: false,
    });
  });

  it('uses the request Gateway, HTTPS listeners for https, and SNI from the host', () => {
    const second = normalizeRequest(
      { path: '/', gateway: { namespace: 'infra', name: 'second' } },
      caseFile,
      caseFile.objects,
    );
    expect(second.port).toBe(9090);
    const https = normalizeRequest(
      { path: '/', scheme: 'https', host: 'a.example:8443' },
      caseFile,
      caseFile.objects,
    );
    expect(https).toMatchObject({ port: 443, sni: 'a.example', host: 'a.example:8443' });
    expect(
      normalizeRequest({ path: '/', scheme: 'https', sni: 'b.example' }, caseFile, caseFile.objects)
        .sni,
    ).toBe('b.example');
  });

  it('replaces {uuid} on every call and lists header values', () => {
    let n = 0;
    const uuid = (): string => `u${++n}`;
    const spec = { path: '/retry/x?uuid={uuid}', headers: { a: 'one', b: ['x', 'y'] } };
    expect(normalizeRequest(spec, caseFile, caseFile.objects, uuid)).toMatchObject({
      path: '/retry/x?uuid=u1',
      headers: { a: ['one'], b: ['x', 'y'] },
    });
    expect(normalizeRequest(spec, caseFile, caseFile.objects, uuid).path).toBe('/retry/x?uuid=u2');
  });

  it('fails clearly for a Gateway that is not in the objects', () => {
    expect(() =>
      normalizeRequest(
        { path: '/', gateway: { namespace: 'x', name: 'y' } },
        caseFile,
        caseFile.objects,
      ),
    ).toThrow('the request names Gateway x/y, which is not in objects');
  });

  it('strips ports from hosts', () => {
    expect(hostWithoutPort('example.com:8080')).toBe('example.com');
    expect(hostWithoutPort('example.com')).toBe('example.com');
    expect(hostWithoutPort('[::1]:80')).toBe('[::1]');
  });
});

describe('needsOf', () => {
  const needs = (requestCase: Omit<RequestCase, 'unknownKeys'>) =>
    needsOf({ ...requestCase, unknownKeys: [] });

  it('derives needs from the request and the expectation', () => {
    expect(
      needs({
        request: { path: '/request-timeout?delay=1s', scheme: 'https', protocol: 'HTTP/2' },
        expect: { status: 504, timeout: true },
      }),
    ).toEqual(['https', 'http2', 'delay', 'status', 'timeout']);
    expect(
      needs({
        request: { path: '/set', headers: { 'X-Echo-Set-Header': 'a:b' } },
        expect: {
          backend: { namespace: 'n', name: 's' },
          response: { headers: { a: 'b' } },
          upstream: { host: 'h' },
        },
      }),
    ).toEqual(['backend', 'upstream.host', 'response.headers', 'response.echo']);
  });

  it('a split or a partial mirror can be shown exactly or by sampling', () => {
    const split = needs({
      request: { path: '/' },
      expect: {
        backends: [{ namespace: 'n', name: 's', weight: 1 }],
        mirrors: [{ namespace: 'n', name: 'm', percent: 20 }],
      },
    });
    expect(split).toEqual([
      ['backends.exact', 'backends.sampled'],
      'mirrors',
      ['mirrors.percent.exact', 'mirrors.percent.sampled'],
    ]);
    const only = (allowed: Observable[]) => (what: Observable) => allowed.includes(what);
    expect(unmetNeeds(split, only(['backends.sampled', 'mirrors']))).toEqual([
      'mirrors.percent.exact or mirrors.percent.sampled',
    ]);
    expect(
      unmetNeeds(split, only(['backends.exact', 'mirrors', 'mirrors.percent.sampled'])),
    ).toEqual([]);
  });

  it('retry paths need the retry knobs', () => {
    expect(needs({ request: { path: '/retry/a?uuid={uuid}' }, expect: { status: 500 } })).toEqual([
      'retry',
      'status',
    ]);
  });
});

describe('applyUpdate', () => {
  const route = (backend: string, generation?: number) => ({
    kind: 'HTTPRoute',
    metadata: { namespace: 'infra', name: 'r', ...(generation ? { generation } : {}) },
    spec: { rules: [{ backendRefs: [{ name: backend, port: 8080 }] }] },
  });
  const step = (extra: Partial<UpdateStep>): UpdateStep => ({
    apply: [],
    delete: [],
    requests: [],
    statuses: [],
    listenerStatuses: [],
    unknownKeys: [],
    ...extra,
  });
  const generation = (objects: readonly Record<string, unknown>[], index: number) =>
    (objects[index]?.['metadata'] as { generation?: number }).generation;

  it('bumps the generation only when the spec changes, keeping the position', () => {
    const objects = [{ kind: 'Namespace', metadata: { name: 'infra' } }, route('v1')];
    const changed = applyUpdate(objects, step({ apply: [route('v2')] }));
    expect(changed).toHaveLength(2);
    expect(generation(changed, 1)).toBe(2);
    const same = applyUpdate(changed, step({ apply: [route('v2')] }));
    expect(generation(same, 1)).toBe(2);
    expect(generation(applyUpdate(same, step({ apply: [route('v3')] })), 1)).toBe(3);
  });

  it('creates new objects at generation 1 and deletes by kind/namespace/name', () => {
    const created = applyUpdate([], step({ apply: [route('v1', 7)] }));
    expect(generation(created, 0)).toBe(1);
    expect(
      applyUpdate(
        created,
        step({ delete: [{ kind: 'HTTPRoute', namespace: 'infra', name: 'r' }] }),
      ),
    ).toEqual([]);
    expect(() =>
      applyUpdate(created, step({ delete: [{ kind: 'Service', namespace: 'infra', name: 'r' }] })),
    ).toThrow('cannot delete Service infra/r: no such object');
  });

  it('never mutates its input', () => {
    const objects = [route('v1')];
    const before = JSON.stringify(objects);
    applyUpdate(objects, step({ apply: [route('v2')] }));
    expect(JSON.stringify(objects)).toBe(before);
  });
});
