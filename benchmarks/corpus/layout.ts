/**
 * How a corpus of N flattened routes is cut into teams, child routes and rules. Every child route
 * carries the same {@link ROUTE_TEMPLATES}, so N = teams × children per team × templates.
 */
export interface CorpusLayout {
  /** Flattened routes the table ends up with. */
  readonly routes: number;
  /** Teams: one delegated prefix `/team-N` each, one namespace each. */
  readonly teams: number;
  /** Child HTTPRoutes per team (`svc-M`), one Service each. */
  readonly childrenPerTeam: number;
}

/** The sizes the issue asks for. */
export const SIZES = [100, 1_000, 10_000, 100_000] as const;

/** One rule of a child route, relative to the child's own prefix `/team-N/svc-M`. */
export interface RouteTemplate {
  /** Names what the peers can express: templates differing only by headers share it. */
  readonly equivalence: string;
  readonly type: 'PathPrefix' | 'Exact';
  /** Appended to `/team-N/svc-M`; '' is the child's whole prefix. */
  readonly suffix: string;
  readonly method?: 'GET' | 'POST';
  readonly header?: { readonly name: string; readonly value: string };
}

/**
 * Ten rules per child: prefixes at several depths, two Exact paths, two method matches and one
 * header match (a canary), like a small service behind a platform gateway.
 */
export const ROUTE_TEMPLATES: readonly RouteTemplate[] = [
  { equivalence: 'root', type: 'PathPrefix', suffix: '' },
  { equivalence: 'health', type: 'Exact', suffix: '/health' },
  { equivalence: 'items', type: 'PathPrefix', suffix: '/v1/items' },
  { equivalence: 'featured', type: 'Exact', suffix: '/v1/items/featured' },
  { equivalence: 'orders-post', type: 'PathPrefix', suffix: '/v1/orders', method: 'POST' },
  { equivalence: 'orders', type: 'PathPrefix', suffix: '/v1/orders' },
  {
    equivalence: 'items-v2',
    type: 'PathPrefix',
    suffix: '/v2/items',
    header: { name: 'x-canary', value: 'true' },
  },
  { equivalence: 'items-v2', type: 'PathPrefix', suffix: '/v2/items' },
  { equivalence: 'admin-get', type: 'PathPrefix', suffix: '/admin', method: 'GET' },
  { equivalence: 'assets', type: 'PathPrefix', suffix: '/static/assets' },
];

/**
 * Splits `routes` into teams × children × templates, teams ≈ √children so that both the number
 * of delegated prefixes and the fan-out under each grow with the size.
 *
 * @example
 * ```ts
 * layoutFor(10_000); // { routes: 10000, teams: 25, childrenPerTeam: 40 }
 * ```
 */
export function layoutFor(routes: number): CorpusLayout {
  const perChild = ROUTE_TEMPLATES.length;
  if (!Number.isInteger(routes) || routes < perChild || routes % perChild !== 0) {
    throw new Error(`corpus size must be a positive multiple of ${perChild}, got ${routes}`);
  }
  const children = routes / perChild;
  let teams = 1;
  for (let t = 1; t * t <= children; t++) if (children % t === 0) teams = t;
  return { routes, teams, childrenPerTeam: children / teams };
}
