import { describe, expect, it } from 'vitest';
import { checkMirrors, checkObservation } from '../src/index.js';
import type {
  BackendId,
  Expectation,
  ForwardedObservation,
  NormalizedRequest,
  Observation,
} from '../src/index.js';

const request: NormalizedRequest = {
  method: 'GET',
  scheme: 'http',
  port: 80,
  path: '/v2?x=1',
  headers: {},
  gateway: { namespace: 'infra', name: 'gw' },
  protocol: 'HTTP/1.1',
  websocket: false,
};

const id = (name: string, port = 8080): BackendId => ({
  group: '',
  kind: 'Service',
  namespace: 'infra',
  name,
  port,
});
const to = (name: string, extra: Partial<ForwardedObservation> = {}): ForwardedObservation => ({
  kind: 'forwarded',
  backend: id(name),
  upstream: { method: 'GET', path: '/v2?x=1', headers: {} },
  ...extra,
});
const split = (...outcomes: [number, Observation][]): Observation => ({
  kind: 'split',
  outcomes: outcomes.map(([weight, observation]) => ({
    weight,
    observation: observation as ForwardedObservation,
  })),
});
const backend = (name: string, port = 8080) => ({ namespace: 'infra', name, port });

describe('checkObservation: single outcomes', () => {
  it('passes the backend named, fails another, and names both', () => {
    expect(checkObservation({ backend: backend('v1') }, request, to('v1'))).toEqual([]);
    expect(checkObservation({ backend: backend('v1') }, request, to('v2'))).toEqual([
      'expected Service infra/v1:8080, but forwarded to Service infra/v2:8080',
    ]);
    expect(checkObservation({ backend: backend('v1', 9090) }, request, to('v1'))).toHaveLength(1);
  });

  it('a backend expectation fails on a gateway answer and vice versa', () => {
    const answered: Observation = {
      kind: 'responded',
      status: 404,
      headers: {},
      detail: 'no route',
    };
    expect(checkObservation({ backend: backend('v1') }, request, answered)).toEqual([
      'expected Service infra/v1:8080, but answered 404',
      'detail: no route',
    ]);
    expect(checkObservation({ status: 404 }, request, to('v1'))).toEqual([
      'expected status 404, but forwarded to Service infra/v1:8080',
    ]);
  });

  it('status lists accept any listed code; timeouts also accept 408', () => {
    const answer = (status: number, timedOut?: boolean): Observation => ({
      kind: 'responded',
      status,
      headers: {},
      ...(timedOut === undefined ? {} : { timedOut }),
    });
    expect(checkObservation({ status: [200, 204] }, request, answer(204))).toEqual([]);
    expect(checkObservation({ status: [200, 204] }, request, answer(403))).toHaveLength(1);
    expect(checkObservation({ status: 504, timeout: true }, request, answer(408, true))).toEqual(
      [],
    );
    expect(checkObservation({ status: 504, timeout: true }, request, answer(504, false))).toEqual([
      'expected a timeout, but the 504 did not come from one',
    ]);
  });

  it('the upstream target must arrive unchanged unless the case says otherwise', () => {
    const rewritten = to('v1', { upstream: { method: 'GET', path: '/one?x=1', headers: {} } });
    expect(checkObservation({ backend: backend('v1') }, request, rewritten)).toEqual([
      'upstream path: got /one?x=1, expected /v2?x=1',
    ]);
    const expectRewrite: Expectation = { backend: backend('v1'), upstream: { path: '/one?x=1' } };
    expect(checkObservation(expectRewrite, request, rewritten)).toEqual([]);
  });

  it('checks upstream host and headers, and response headers', () => {
    const observed = to('v1', {
      upstream: {
        method: 'GET',
        path: '/v2?x=1',
        host: 'One.example.org',
        headers: { 'X-Set': 'v', gone: 'x' },
      },
      response: { headers: { 'access-control-allow-origin': '*' } },
    });
    const expectation: Expectation = {
      backend: backend('v1'),
      upstream: { host: 'one.example.org', headers: { 'x-set': 'v' }, absentHeaders: ['gone'] },
      response: { headers: { 'Access-Control-Allow-Origin': { oneOf: ['https://a.com', '*'] } } },
    };
    expect(checkObservation(expectation, request, observed)).toEqual([
      'upstream header gone: must be absent, got "x"',
    ]);
  });
});

describe('checkObservation: splits', () => {
  const weights: Expectation = {
    backends: [
      { ...backend('v1'), weight: 70 },
      { ...backend('v2'), weight: 30 },
      { ...backend('v3'), weight: 0 },
    ],
  };

  it('passes proportional weights and names every deviation', () => {
    expect(checkObservation(weights, request, split([7, to('v1')], [3, to('v2')]))).toEqual([]);
    expect(checkObservation(weights, request, split([1, to('v1')], [1, to('v2')]))).toEqual([
      'Service infra/v1:8080: share 1/2, expected 70/100',
      'Service infra/v2:8080: share 1/2, expected 30/100',
    ]);
  });

  it('a weight-0 backend, an unknown outcome or a missing share fails', () => {
    expect(
      checkObservation(weights, request, split([70, to('v1')], [30, to('v2')], [5, to('v3')])),
    ).toContain(
      'forwarded to Service infra/v3:8080 (share 5/105) has weight 0 and must receive nothing',
    );
    expect(checkObservation(weights, request, split([70, to('v1')]))).toContain(
      'no share for Service infra/v2:8080',
    );
    const invalid: Observation = { kind: 'responded', status: 500, headers: {} };
    expect(
      checkObservation(weights, request, split([7, to('v1')], [3, to('v2')], [1, invalid])),
    ).toContain('answered 500 (share 1/11) is not expected');
  });

  it('each entry of backends checks its own upstream', () => {
    const expectation: Expectation = {
      backends: [
        { ...backend('v1'), weight: 1, upstream: { headers: { Backend: 'v1' } } },
        { ...backend('v2'), weight: 1, upstream: { headers: { Backend: 'v2' } } },
      ],
    };
    const withHeader = (name: string, value: string) =>
      to(name, { upstream: { method: 'GET', path: '/v2?x=1', headers: { backend: value } } });
    expect(
      checkObservation(
        expectation,
        request,
        split([1, withHeader('v1', 'v1')], [1, withHeader('v2', 'v2')]),
      ),
    ).toEqual([]);
    expect(
      checkObservation(
        expectation,
        request,
        split([1, withHeader('v1', 'v2')], [1, withHeader('v2', 'v2')]),
      ),
    ).toEqual(['Service infra/v1:8080: upstream header Backend: got "v2", expected "v1"']);
  });

  it('a single-backend expectation must hold for every outcome of a split', () => {
    expect(
      checkObservation({ backend: backend('v1') }, request, split([1, to('v1')], [0, to('v2')])),
    ).toEqual([]);
    expect(
      checkObservation({ backend: backend('v1') }, request, split([1, to('v1')], [1, to('v2')])),
    ).toEqual([
      'forwarded to Service infra/v2:8080: expected Service infra/v1:8080, but forwarded to Service infra/v2:8080',
    ]);
  });
});

describe('checkMirrors', () => {
  it('requires each mirror and compares a configured share exactly', () => {
    expect(checkMirrors([backend('v2')], [{ backend: id('v2'), percent: 100 }])).toEqual([]);
    expect(checkMirrors([backend('v2')], [])).toEqual([
      'no mirrored copy to Service infra/v2:8080',
    ]);
    expect(
      checkMirrors([{ ...backend('v2'), percent: 20 }], [{ backend: id('v2'), percent: 50 }]),
    ).toEqual(['mirror to Service infra/v2:8080: 50% mirrored, expected 20%']);
    // a received copy (no percent) satisfies a 100% mirror
    expect(checkMirrors([backend('v2')], [{ backend: id('v2') }])).toEqual([]);
  });
});
