/**
 * The delegation example's files (`examples/delegation/`): the platform's Gateway and parent
 * route, the three teams' routes, and the local backend map that stands in for their Services.
 */
import { readFileSync } from 'node:fs';
import { parseAllDocuments, parse } from 'yaml';

const DELEGATION = new URL('../../delegation/', import.meta.url);

/** The manifests in the order a platform would apply them. */
export const MANIFESTS = [
  'platform/gateway.yaml',
  'platform/parent-route.yaml',
  'banking/routes.yaml',
  'insurance/routes.yaml',
  'payments/routes.yaml',
] as const;

/** Every Kubernetes object of `files` (default: all of them). */
export function loadObjects(files: readonly string[] = MANIFESTS): unknown[] {
  return files.flatMap((file) =>
    parseAllDocuments(readFileSync(new URL(file, DELEGATION), 'utf8'))
      .map((document) => document.toJS() as unknown)
      .filter((object) => object !== null),
  );
}

/** `backends.local.yaml`: `namespace/name:port` -> local origin. */
export function loadBackendMap(): Record<string, string> {
  const file = parse(readFileSync(new URL('backends.local.yaml', DELEGATION), 'utf8')) as {
    backends: Record<string, string>;
  };
  return file.backends;
}
