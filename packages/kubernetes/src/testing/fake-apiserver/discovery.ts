/**
 * API discovery, as kubectl reads it before anything else: `/version`, `/api` (the core group's
 * versions), `/apis` (every other group), and one `APIResourceList` per group version naming each
 * resource, its kind, scope, verbs and `status` subresource. Built from the resources the fake
 * serves, so a real client maps `kubectl get httproutes` to the same paths the source uses.
 */
import { apiVersionAt, type FakeResource } from './types.js';

const VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

/** The discovery document at `pathname`, or undefined when it is not a discovery path. */
export function discoveryDocument(pathname: string, resources: readonly FakeResource[]): unknown {
  const path = pathname.replace(/\/+$/, '');
  if (path === '/version')
    return { major: '1', minor: '32', gitVersion: 'v1.32.0-switchyard-fake', platform: 'fake' };
  if (path === '/api')
    return {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [],
    };
  if (path === '/apis') return groupList(resources);
  const core = /^\/api\/(v1)$/.exec(path);
  if (core) return resourceList('', core[1]!, resources);
  const other = /^\/apis\/([^/]+)\/([^/]+)$/.exec(path);
  if (other) return resourceList(other[1]!, other[2]!, resources);
  return undefined;
}

function versionsOf(resource: FakeResource): string[] {
  return [resource.version, ...(resource.alsoServedAs ?? [])];
}

function groupList(resources: readonly FakeResource[]) {
  const groups = new Map<string, string[]>();
  for (const resource of resources) {
    if (resource.group === '') continue;
    const versions = groups.get(resource.group) ?? [];
    for (const version of versionsOf(resource))
      if (!versions.includes(version)) versions.push(version);
    groups.set(resource.group, versions);
  }
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groups].map(([name, versions]) => ({
      name,
      versions: versions.map((version) => ({ groupVersion: `${name}/${version}`, version })),
      preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
    })),
  };
}

function resourceList(group: string, version: string, resources: readonly FakeResource[]) {
  const served = resources.filter((r) => r.group === group && versionsOf(r).includes(version));
  if (served.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionAt(served[0]!, version),
    resources: served.flatMap((r) => [
      {
        name: r.plural,
        singularName: r.kind.toLowerCase(),
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: VERBS,
      },
      ...(r.statusSubresource
        ? [
            {
              name: `${r.plural}/status`,
              singularName: '',
              namespaced: r.namespaced,
              kind: r.kind,
              verbs: ['get', 'patch', 'update'],
            },
          ]
        : []),
    ]),
  };
}
