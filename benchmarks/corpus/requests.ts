/**
 * The request mix: the same requests go to every router. Mostly hits at various depths (a
 * child's bare prefix, Exact paths, deep paths under nested prefixes, method and header matches,
 * a method falling through to the child's catch-all), plus misses: an unknown service under a
 * delegated prefix, an unknown top-level path and a segment-boundary near miss.
 */
import type { ResolveRequest } from '@switchyard/core';
import { HOST, childName, childPrefix, teamName } from './generate.js';
import type { CorpusLayout } from './layout.js';

export type Method = 'GET' | 'POST' | 'DELETE';

/** The methods the mix uses; peers register method-less routes for these. */
export const METHODS: readonly Method[] = ['GET', 'POST', 'DELETE'];

export interface BenchRequest {
  readonly method: Method;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  /** For switchyard: host and headers as an adapter would pass them. */
  readonly resolve: ResolveRequest;
  /** The route that must win, as {@link equivalenceKey}, or {@link NO_ROUTE}. */
  readonly expected: string;
  /** Which kind of request this is, for the sanity report. */
  readonly kind: string;
}

export const NO_ROUTE = 'none';

/** Names a route the way all three routers can report it: child route plus template class. */
export function equivalenceKey(namespace: string, name: string, equivalence: string): string {
  return `${namespace}/${name}#${equivalence}`;
}

interface Shape {
  readonly kind: string;
  readonly weight: number;
  readonly make: (prefix: string, id: number) => { method: Method; path: string; header?: true };
  /** The template equivalence that must win; undefined for a miss. */
  readonly expects: string | undefined;
}

const SHAPES: readonly Shape[] = [
  { kind: 'prefix root', weight: 8, expects: 'root', make: (p) => ({ method: 'GET', path: p }) },
  {
    kind: 'exact',
    weight: 10,
    expects: 'health',
    make: (p) => ({ method: 'GET', path: `${p}/health` }),
  },
  {
    kind: 'deep prefix',
    weight: 15,
    expects: 'items',
    make: (p, id) => ({ method: 'GET', path: `${p}/v1/items/${id}` }),
  },
  {
    kind: 'deep exact',
    weight: 5,
    expects: 'featured',
    make: (p) => ({ method: 'GET', path: `${p}/v1/items/featured` }),
  },
  {
    kind: 'method match',
    weight: 10,
    expects: 'orders-post',
    make: (p, id) => ({ method: 'POST', path: `${p}/v1/orders/${id}` }),
  },
  {
    kind: 'method fallback',
    weight: 5,
    expects: 'orders',
    make: (p, id) => ({ method: 'GET', path: `${p}/v1/orders/${id}` }),
  },
  {
    kind: 'header match',
    weight: 8,
    expects: 'items-v2',
    make: (p, id) => ({ method: 'GET', path: `${p}/v2/items/${id}`, header: true }),
  },
  {
    kind: 'header absent',
    weight: 5,
    expects: 'items-v2',
    make: (p, id) => ({ method: 'GET', path: `${p}/v2/items/${id}` }),
  },
  {
    kind: 'method to catch-all',
    weight: 5,
    expects: 'root',
    make: (p, id) => ({ method: 'DELETE', path: `${p}/admin/users/${id}` }),
  },
  {
    kind: 'very deep',
    weight: 9,
    expects: 'assets',
    make: (p, id) => ({ method: 'GET', path: `${p}/static/assets/js/vendor/v${id}/app.js` }),
  },
  {
    kind: 'miss: unknown service',
    weight: 8,
    expects: undefined,
    make: (p, id) => ({ method: 'GET', path: `${p.slice(0, p.lastIndexOf('/'))}/nobody-${id}/x` }),
  },
  {
    kind: 'miss: unknown prefix',
    weight: 6,
    expects: undefined,
    make: (_p, id) => ({ method: 'GET', path: `/unknown/${id}/path` }),
  },
  {
    kind: 'miss: segment boundary',
    weight: 6,
    expects: undefined,
    make: (p) => ({ method: 'GET', path: `${p}x/v1/items` }),
  },
];

const COMMON_HEADERS = { accept: 'application/json', 'user-agent': 'switchyard-bench/1' };

/**
 * `count` requests spread over random teams and children (seeded, so every run and every
 * router sees the same list).
 */
export function requestMix(layout: CorpusLayout, count = 512, seed = 42): BenchRequest[] {
  const random = mulberry32(seed);
  const total = SHAPES.reduce((sum, shape) => sum + shape.weight, 0);
  const requests: BenchRequest[] = [];
  for (let i = 0; i < count; i++) {
    const team = Math.floor(random() * layout.teams);
    const child = Math.floor(random() * layout.childrenPerTeam);
    const shape = pick(SHAPES, random() * total);
    const made = shape.make(childPrefix(team, child), Math.floor(random() * 100_000));
    const headers = made.header ? { ...COMMON_HEADERS, 'x-canary': 'true' } : COMMON_HEADERS;
    requests.push({
      method: made.method,
      path: made.path,
      headers,
      resolve: { method: made.method, host: HOST, path: made.path, headers },
      expected:
        shape.expects === undefined
          ? NO_ROUTE
          : equivalenceKey(teamName(team), childName(child), shape.expects),
      kind: shape.kind,
    });
  }
  return requests;
}

function pick(shapes: readonly Shape[], at: number): Shape {
  let left = at;
  for (const shape of shapes) {
    if (left < shape.weight) return shape;
    left -= shape.weight;
  }
  return shapes[shapes.length - 1]!;
}

/** A small seeded PRNG (mulberry32): reproducible mixes without a dependency. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
