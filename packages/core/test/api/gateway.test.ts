/** Gateway listeners: the listener CEL rules and limits, reported under `spec.listeners[i]`. */
import { describe, expect, it } from 'vitest';
import { gatewayOf } from './_helpers.js';

const cert = { certificateRefs: [{ name: 'cert' }] };
const http = (fields: object = {}) => ({ name: 'http', port: 80, protocol: 'HTTP', ...fields });
const problemsOf = (...listeners: unknown[]) =>
  gatewayOf({ gatewayClassName: 'gc', listeners }).problems;

describe('listener CEL rules', () => {
  it.each(['HTTP', 'TCP', 'UDP'])('tls must not be specified for %s', (protocol) => {
    expect(problemsOf(http({ protocol, tls: cert }))).toEqual([
      {
        path: 'spec.listeners[0].tls',
        message: "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']",
      },
    ]);
  });

  it('tls mode must be Terminate for HTTPS', () => {
    expect(
      problemsOf(http({ protocol: 'HTTPS', port: 443, tls: { ...cert, mode: 'Passthrough' } })),
    ).toEqual([
      {
        path: 'spec.listeners[0].tls.mode',
        message: 'tls mode must be Terminate for protocol HTTPS',
      },
    ]);
    expect(
      problemsOf(http({ protocol: 'HTTPS', port: 443, tls: { ...cert, mode: 'Terminate' } })),
    ).toEqual([]);
  });

  it('HTTPS needs tls (G-2)', () => {
    expect(problemsOf(http({ protocol: 'HTTPS', port: 443 }))).toEqual([
      { path: 'spec.listeners[0].tls', message: 'tls must be specified for protocol HTTPS' },
    ]);
  });

  it('tls mode must be set for TLS', () => {
    expect(problemsOf(http({ protocol: 'TLS', port: 443 }))).toEqual([
      { path: 'spec.listeners[0].tls', message: 'tls mode must be set for protocol TLS' },
    ]);
    expect(problemsOf(http({ protocol: 'TLS', port: 443, tls: { mode: 'Passthrough' } }))).toEqual(
      [],
    );
  });

  it.each(['TCP', 'UDP'])('hostname must not be specified for %s', (protocol) => {
    expect(problemsOf(http({ protocol, hostname: 'a.example.com' }))).toEqual([
      {
        path: 'spec.listeners[0].hostname',
        message: "hostname must not be specified for protocols ['TCP', 'UDP']",
      },
    ]);
    expect(problemsOf(http({ hostname: 'a.example.com' }))).toEqual([]);
  });

  it('listener names are unique', () => {
    expect(problemsOf(http(), http({ port: 8080 }))).toEqual([
      {
        path: 'spec.listeners[1].name',
        message: 'Listener name must be unique within the Gateway',
      },
    ]);
  });

  it('port, protocol and hostname combinations are unique', () => {
    const message = 'Combination of port, protocol and hostname must be unique for each listener';
    expect(problemsOf(http(), http({ name: 'other' }))).toEqual([
      { path: 'spec.listeners[1]', message },
    ]);
    expect(problemsOf(http({ hostname: 'a.com' }), http({ name: 'b', hostname: 'a.com' }))).toEqual(
      [{ path: 'spec.listeners[1]', message }],
    );
    expect(
      problemsOf(
        http({ hostname: 'a.com' }),
        http({ name: 'b', hostname: 'b.com' }),
        http({ name: 'c' }),
      ),
    ).toEqual([]);
  });

  it('certificateRefs or options must be specified when mode is Terminate', () => {
    const message = 'certificateRefs or options must be specified when mode is Terminate';
    expect(problemsOf(http({ protocol: 'HTTPS', port: 443, tls: {} }))).toEqual([
      { path: 'spec.listeners[0].tls', message },
    ]);
    expect(
      problemsOf(http({ protocol: 'HTTPS', port: 443, tls: { options: { k: 'v' } } })),
    ).toEqual([]);
  });
});

describe('listener limits', () => {
  it('1-64 listeners', () => {
    expect(gatewayOf({ listeners: [] }).problems).toEqual([
      { path: 'spec.listeners', message: 'must have at least 1 item' },
    ]);
    expect(gatewayOf({}).problems).toEqual([{ path: 'spec.listeners', message: 'is required' }]);
    const listeners = Array.from({ length: 65 }, (_, i) => http({ name: `l${i}`, port: i + 1 }));
    expect(gatewayOf({ listeners }).problems).toEqual([
      { path: 'spec.listeners', message: 'must have at most 64 items' },
    ]);
  });

  it('port 1-65535, protocol pattern, name SectionName, hostname Hostname, kinds ≤ 8', () => {
    expect(problemsOf(http({ port: 0 }))).toEqual([
      { path: 'spec.listeners[0].port', message: 'must be between 1 and 65535' },
    ]);
    expect(problemsOf(http({ protocol: 'HT TP' }))).toEqual([
      { path: 'spec.listeners[0].protocol', message: expect.stringContaining('must match') },
    ]);
    expect(problemsOf(http({ protocol: 'example.com/bar' }))).toEqual([]);
    expect(problemsOf(http({ name: 'Bad' }))).toEqual([
      { path: 'spec.listeners[0].name', message: expect.stringContaining('must match') },
    ]);
    expect(problemsOf(http({ hostname: 'a.com:80' }))).toEqual([
      { path: 'spec.listeners[0].hostname', message: expect.stringContaining('invalid hostname') },
    ]);
    const kinds = Array.from({ length: 9 }, () => ({ kind: 'HTTPRoute' }));
    expect(problemsOf(http({ allowedRoutes: { kinds } }))).toEqual([
      { path: 'spec.listeners[0].allowedRoutes.kinds', message: 'must have at most 8 items' },
    ]);
    expect(problemsOf(http({ allowedRoutes: { namespaces: { from: 'None' } } }))).toEqual([
      {
        path: 'spec.listeners[0].allowedRoutes.namespaces.from',
        message: 'Unsupported value: "None": supported values: "All", "Same", "Selector"',
      },
    ]);
  });

  it('keeps every listener at its authored position, invalid ones included', () => {
    const gw = gatewayOf({ listeners: ['garbage', { port: 'x' }, http()] });
    expect(gw.listeners.map((l) => l.name)).toEqual(['', '', 'http']);
    expect(gw.listeners[1]).toEqual({
      name: '',
      port: 0,
      protocol: '',
      allowedRoutes: { from: 'Same' },
    });
    expect(gw.problems.map((p) => p.path)).toEqual([
      'spec.listeners[0]',
      'spec.listeners[1].name',
      'spec.listeners[1].port',
      'spec.listeners[1].protocol',
    ]);
  });
});
