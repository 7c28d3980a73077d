/**
 * One complete list of a resource, the way large clusters need it: in pages (`limit`, following
 * `metadata.continue`), so that neither the API server nor this process holds thousands of
 * objects in one response; started over when a continue token expires (410 Gone: the snapshot the
 * pages came from was compacted away); and at an older version when the preferred one is not
 * served (404).
 */
import { httpStatusOf, type KubeClient, type RawList, type RawObject } from '../kube-client.js';
import { resourceLabel, servedVersions, type ApiResource } from '../resources.js';

/** A list whose continue token expired after `pages` pages; it starts over, `next` tells how. */
export interface ListExpiredEvent {
  readonly type: 'list-expired';
  readonly resource: string;
  readonly pages: number;
  /** `unpaged` after {@link MAX_PAGED_ATTEMPTS} expired attempts: one response cannot expire. */
  readonly next: 'paged' | 'unpaged';
}

/** Every item of a resource, from one consistent snapshot. */
export interface CompleteList extends RawList {
  /** The resource at the version that answered (see `ApiResource.fallbackVersions`). */
  readonly served: ApiResource;
  /** Requests of the attempt that succeeded. */
  readonly pages: number;
}

export interface ListAllOptions {
  readonly fieldSelector?: string;
  /** Items per page: the `limit` of each request. */
  readonly pageSize: number;
  readonly onEvent?: (event: ListExpiredEvent) => void;
}

/**
 * After this many paged attempts ended by an expired token in a row, the list is asked for in one
 * response, as client-go's pager does: on a cluster that compacts faster than a list is paged
 * through, starting over would never end.
 */
export const MAX_PAGED_ATTEMPTS = 3;

/**
 * Lists `resource` completely: the preferred version, else each fallback version in turn while
 * the server answers 404. Throws the last 404 when no version is served (the CRD is not
 * installed), and any other error as it comes.
 *
 * @example
 * ```ts
 * const list = await listAll(client, RESOURCES.referenceGrants, { pageSize: 500 });
 * list.served.version; // 'v1', or 'v1beta1' on an older Gateway API release
 * ```
 */
export async function listAll(
  client: KubeClient,
  resource: ApiResource,
  options: ListAllOptions,
): Promise<CompleteList> {
  const versions = servedVersions(resource);
  for (let index = 0; ; index++) {
    try {
      return await listPaged(client, versions[index]!, options);
    } catch (error) {
      // Not served at this version: try the next; after the last, the caller sees the 404.
      if (httpStatusOf(error) !== 404 || index === versions.length - 1) throw error;
    }
  }
}

async function listPaged(
  client: KubeClient,
  resource: ApiResource,
  options: ListAllOptions,
): Promise<CompleteList> {
  const fieldSelector =
    options.fieldSelector === undefined ? {} : { fieldSelector: options.fieldSelector };
  for (let attempt = 1; ; attempt++) {
    const paged = attempt <= MAX_PAGED_ATTEMPTS;
    const items: RawObject[] = [];
    let resourceVersion: string | undefined;
    let token: string | undefined;
    let pages = 0;
    try {
      do {
        const page = await client.list(resource, {
          ...fieldSelector,
          ...(paged ? { limit: options.pageSize } : {}),
          ...(token === undefined ? {} : { continue: token }),
        });
        pages += 1;
        // Every page comes from the first page's snapshot: the watch resumes from there.
        if (pages === 1) resourceVersion = page.metadata?.resourceVersion;
        for (const item of page.items) items.push(item);
        token = page.metadata?.continue || undefined;
      } while (token !== undefined);
      return {
        metadata: resourceVersion === undefined ? {} : { resourceVersion },
        items,
        served: resource,
        pages,
      };
    } catch (error) {
      // Only an expired continue token is worth starting over for; the first page's errors are
      // the caller's.
      if (token === undefined || httpStatusOf(error) !== 410) throw error;
      options.onEvent?.({
        type: 'list-expired',
        resource: resourceLabel(resource),
        pages,
        next: attempt < MAX_PAGED_ATTEMPTS ? 'paged' : 'unpaged',
      });
    }
  }
}
