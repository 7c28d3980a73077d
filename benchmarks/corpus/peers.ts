/**
 * The equivalent route sets for the peer routers, built from the same layout and templates as
 * the Kubernetes objects.
 *
 * What the peers can express differs, so the sets are the closest equivalent:
 * - a `PathPrefix /p` becomes the exact path `/p` plus the wildcard `/p/*` (find-my-way) or the
 *   catch-all `/p/**` (rou3, which also matches `/p` itself): segment-aware, like the Gateway API;
 * - routes without a method are registered for every method of the mix ({@link METHODS}) in
 *   find-my-way, and with rou3's method-less form (`''`);
 * - header matches are dropped: find-my-way only constrains on `version` and `host`, rou3 not at
 *   all, so the canary rule and its header-less sibling collapse into one path+method route
 *   (their {@link RouteTemplate.equivalence} is the same);
 * - the platform delegation is already flattened: the peers get the child paths directly, and no
 *   host (every route is on one hostname).
 * When two templates give the same method and pattern, the first (higher Gateway API
 * precedence: method match before none) is kept, which is what switchyard picks for that method.
 */
import FindMyWay from 'find-my-way';
import { addRoute, createRouter, type RouterContext } from 'rou3';
import { childName, childPrefix, teamName } from './generate.js';
import { ROUTE_TEMPLATES, type CorpusLayout } from './layout.js';
import { equivalenceKey, METHODS } from './requests.js';

/** One path+method route as the peers see it; `key` is what a lookup must report. */
export interface PeerRoute {
  /** Undefined: any method. */
  readonly method: string | undefined;
  readonly type: 'PathPrefix' | 'Exact';
  readonly path: string;
  readonly key: string;
}

/** The deduplicated path+method routes, in precedence order within each child. */
export function peerRoutes(layout: CorpusLayout): PeerRoute[] {
  const routes: PeerRoute[] = [];
  for (let team = 0; team < layout.teams; team++) {
    for (let child = 0; child < layout.childrenPerTeam; child++) {
      const prefix = childPrefix(team, child);
      const seen = new Set<string>();
      for (const template of ROUTE_TEMPLATES) {
        const path = prefix + template.suffix;
        const id = `${template.method ?? '*'} ${template.type} ${path}`;
        if (seen.has(id)) continue;
        seen.add(id);
        routes.push({
          method: template.method,
          type: template.type,
          path,
          key: equivalenceKey(teamName(team), childName(child), template.equivalence),
        });
      }
    }
  }
  return routes;
}

type Handler = () => void;
const noop: Handler = () => {};

export type FindMyWayRouter = ReturnType<typeof FindMyWay>;

/**
 * A find-my-way router over {@link peerRoutes}; each route's store is its key.
 *
 * @example
 * ```ts
 * const router = buildFindMyWay(peerRoutes(layoutFor(1_000)));
 * router.find('GET', '/team-0/svc-0/health')?.store; // 'team-0/svc-0#health'
 * ```
 */
export function buildFindMyWay(routes: readonly PeerRoute[]): FindMyWayRouter {
  const router = FindMyWay({ ignoreTrailingSlash: false, caseSensitive: true });
  const taken = new Set<string>();
  for (const route of routes) {
    const patterns = route.type === 'Exact' ? [route.path] : [route.path, `${route.path}/*`];
    for (const method of route.method === undefined ? METHODS : [route.method]) {
      for (const pattern of patterns) {
        // An earlier route (a method match) already owns this method and pattern.
        const id = `${method} ${pattern}`;
        if (taken.has(id)) continue;
        taken.add(id);
        router.on(method as 'GET', pattern, noop, { key: route.key });
      }
    }
  }
  return router;
}

/** The key find-my-way routes a request to. */
export function findMyWayKey(
  router: FindMyWayRouter,
  method: string,
  path: string,
): string | undefined {
  const found = router.find(method as 'GET', path);
  return (found?.store as { key: string } | undefined)?.key;
}

export type Rou3Router = RouterContext<string>;

/** A rou3 router over {@link peerRoutes}: `addRoute(router, method, path + '/**')` per prefix. */
export function buildRou3(routes: readonly PeerRoute[]): Rou3Router {
  const router = createRouter<string>();
  for (const route of routes) {
    const pattern = route.type === 'Exact' ? route.path : `${route.path}/**`;
    addRoute(router, route.method ?? '', pattern, route.key);
  }
  return router;
}
