import { describe, expect, it } from 'vitest';
import { sampleBackends, sampleMirrors } from '../src/index.js';
import type {
  Expectation,
  NormalizedRequest,
  Observation,
  Sender,
  WeightedBackendExpectation,
} from '../src/index.js';

const request: NormalizedRequest = {
  method: 'GET',
  scheme: 'http',
  port: 80,
  path: '/',
  headers: {},
  gateway: { namespace: 'infra', name: 'gw' },
  protocol: 'HTTP/1.1',
  websocket: false,
};

/** mulberry32: a fixed seed keeps the statistics reproducible. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A fake data plane: picks a backend by weight, mirrors to `mirror` with probability `p`. */
function dataPlane(
  weights: Record<string, number>,
  mirror?: { name: string; p: number },
  seed = 42,
): Sender {
  const random = seeded(seed);
  const total = Object.values(weights).reduce((a, b) => a + b, 0);
  return async () => {
    let pick = random() * total;
    const name = Object.keys(weights).find((key) => (pick -= weights[key] ?? 0) < 0) ?? 'none';
    const copied = mirror && random() < mirror.p;
    const observation: Observation = {
      kind: 'forwarded',
      backend: { group: '', kind: 'Service', namespace: 'infra', name, port: 8080 },
      upstream: { method: 'GET', path: '/', headers: { backend: name } },
      mirrors: copied
        ? [
            {
              backend: {
                group: '',
                kind: 'Service',
                namespace: 'infra',
                name: mirror.name,
                port: 8080,
              },
            },
          ]
        : [],
    };
    return { request, observation };
  };
}

const weighted = (name: string, weight: number): WeightedBackendExpectation => ({
  namespace: 'infra',
  name,
  port: 8080,
  weight,
});
const split = { backends: [weighted('v1', 70), weighted('v2', 30), weighted('v3', 0)] };

describe('sampleBackends', () => {
  it('passes a data plane that splits as configured', async () => {
    expect(await sampleBackends(split, dataPlane({ v1: 70, v2: 30 }))).toEqual([]);
  });

  it('fails a wrong split and reports the measured shares', async () => {
    const problems = await sampleBackends(split, dataPlane({ v1: 50, v2: 50 }));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(
      /^Service infra\/v1:8080: \d+\/2000 requests \(0\.\d+\), expected 0\.700 ± 0\.05$/,
    );
  });

  it('a single request to a weight-0 backend fails', async () => {
    const problems = await sampleBackends(
      split,
      dataPlane({ v1: 70, v2: 30, v3: 0.5 }, undefined, 7),
      { sampleSize: 2000 },
    );
    expect(
      problems.some(
        (p) => p.startsWith('Service infra/v3:8080:') && p.endsWith('expected 0.000 ± 0'),
      ),
    ).toBe(true);
  });

  it('checks every request against its backend entry', async () => {
    const expectation = {
      backends: [
        { ...weighted('v1', 1), upstream: { headers: { Backend: 'v1' } } },
        { ...weighted('v2', 1), upstream: { headers: { Backend: 'wrong' } } },
      ],
    };
    const problems = await sampleBackends(expectation, dataPlane({ v1: 1, v2: 1 }), {
      sampleSize: 50,
    });
    expect(problems).toEqual([
      'Service infra/v2:8080: upstream header Backend: got "v2", expected "wrong"',
    ]);
  });

  it('sampleSize and tolerance are parameters', async () => {
    const tight = await sampleBackends(split, dataPlane({ v1: 65, v2: 35 }), {
      sampleSize: 4000,
      tolerance: 0.01,
    });
    expect(tight.length).toBeGreaterThan(0);
    expect(
      await sampleBackends(split, dataPlane({ v1: 65, v2: 35 }), {
        sampleSize: 4000,
        tolerance: 0.1,
      }),
    ).toEqual([]);
  });
});

describe('sampleMirrors', () => {
  const expectation: Expectation = {
    backend: { namespace: 'infra', name: 'v1', port: 8080 },
    mirrors: [{ namespace: 'infra', name: 'v2', port: 8080, percent: 20 }],
  };

  it('passes a share within three standard deviations', async () => {
    expect(await sampleMirrors(expectation, dataPlane({ v1: 1 }, { name: 'v2', p: 0.2 }))).toEqual(
      [],
    );
  });

  it('fails a share far off', async () => {
    const problems = await sampleMirrors(expectation, dataPlane({ v1: 1 }, { name: 'v2', p: 0.5 }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^mirror to Service infra\/v2:8080: \d+\/500 copies, expected 100 ± 26\.8$/,
    );
  });

  it('still checks the primary backend of every request', async () => {
    const problems = await sampleMirrors(
      expectation,
      dataPlane({ v9: 1 }, { name: 'v2', p: 0.2 }),
      { sampleSize: 20 },
    );
    expect(problems).toContain(
      'expected Service infra/v1:8080, but forwarded to Service infra/v9:8080',
    );
  });
});
