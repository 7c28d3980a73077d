/**
 * The fake API server's request handling: what each method does to each kind of path (lists,
 * watches, single objects, the status subresource), plus the test controls that act per request
 * (recording, hooks, injected failures).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FailureRule, RecordedRequest } from './contract.js';
import { discoveryDocument } from './discovery.js';
import { createLister } from './list.js';
import { allowingRules, forbiddenMessage, requestAttributes, type RbacPolicy } from './rbac.js';
import { parsePath, type Target } from './paths.js';
import type { Store } from './store.js';
import { ApiError, servedAt, type FakeObject, type FakeResource } from './types.js';
import { openWatch, type WatchStream } from './watch.js';

/** The server state a request may read or change. */
export interface HandlerContext {
  readonly store: Store;
  readonly resources: readonly FakeResource[];
  readonly goneAs: 'event' | 'http';
  readonly streams: Set<WatchStream>;
  readonly failures: FailureRule[];
  readonly hooks: ReadonlySet<(request: RecordedRequest) => void | Promise<void>>;
  readonly requests: RecordedRequest[];
  readonly rbac: RbacPolicy | undefined;
}

/** The `node:http` request listener; errors become `Status` answers, as the API server sends them. */
export function createRequestHandler(
  context: HandlerContext,
): (req: IncomingMessage, res: ServerResponse) => void {
  const { store, resources, goneAs, streams, failures, hooks, requests, rbac } = context;
  const list = createLister(store);

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://fake');
    const target = parsePath(url.pathname, resources);
    const method = req.method ?? 'GET';
    const watch = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
    const record: RecordedRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      contentType: req.headers['content-type'],
      watch,
      target: target && {
        plural: target.resource.plural,
        ...(target.namespace !== undefined ? { namespace: target.namespace } : {}),
        ...(target.name !== undefined ? { name: target.name } : {}),
        ...(target.subresource !== undefined ? { subresource: target.subresource } : {}),
      },
      status: undefined,
    };
    requests.push(record);
    res.on('finish', () => (record.status = res.statusCode));
    const body = await readBody(req);
    for (const hook of hooks) await hook(record);
    const failure = failures.find((rule) => matchesRule(rule, method, url.pathname, watch));
    if (failure) {
      failure.times = (failure.times ?? 1) - 1;
      if (failure.times <= 0) failures.splice(failures.indexOf(failure), 1);
      throw new ApiError(
        failure.status,
        REASONS[failure.status] ?? 'InternalError',
        `injected failure ${failure.status}`,
      );
    }
    const discovery = method === 'GET' ? discoveryDocument(url.pathname, resources) : undefined;
    if (discovery !== undefined) {
      send(res, 200, discovery);
      return;
    }
    const attributes = requestAttributes(method, url.pathname, watch);
    if (rbac && attributes) {
      const allowing = allowingRules(rbac.rules, attributes);
      if (allowing.length === 0)
        throw new ApiError(403, 'Forbidden', forbiddenMessage(rbac.user, attributes));
      record.rbac = { ...attributes, rules: allowing };
    }
    if (!target)
      throw new ApiError(
        404,
        'NotFound',
        `the server could not find the requested resource ${url.pathname}`,
      );
    if (target.subresource === 'status' && !target.resource.statusSubresource) {
      throw new ApiError(404, 'NotFound', `${target.resource.plural} has no status subresource`);
    }
    if (url.searchParams.has('labelSelector')) {
      throw new ApiError(
        400,
        'BadRequest',
        'the fake API server does not implement label selectors',
      );
    }
    const { status, object } = dispatch({
      method,
      target,
      query: url.searchParams,
      body,
      req,
      res,
      watch,
    });
    if (status !== 0) send(res, status, object);
  }

  interface Call {
    readonly method: string;
    readonly target: Target;
    readonly query: URLSearchParams;
    readonly body: unknown;
    readonly req: IncomingMessage;
    readonly res: ServerResponse;
    readonly watch: boolean;
  }

  /** Status 0: the response was taken over (a watch stream). */
  function dispatch({ method, target, query, body, req, res, watch }: Call): {
    status: number;
    object: unknown;
  } {
    const { resource, name, version } = target;
    const namespace = target.namespace ?? '';
    const asStatus = target.subresource === 'status';
    const served = (object: FakeObject) => servedAt(object, resource, version);
    if (name === undefined) {
      if (method === 'GET' && watch) {
        const stream = openWatch(
          store,
          { resource, version, namespace: target.namespace, query, goneAs },
          res,
        );
        if (stream) {
          streams.add(stream);
          res.on('close', () => streams.delete(stream));
        }
        return { status: 0, object: undefined };
      }
      if (method === 'GET')
        return {
          status: 200,
          object: list({ resource, version, namespace: target.namespace, query }),
        };
      if (method === 'POST')
        return {
          status: 201,
          object: served(store.create(resource, namespace, asObject(body, resource))),
        };
      throw new ApiError(405, 'MethodNotAllowed', `${method} is not allowed on a collection`);
    }
    switch (method) {
      case 'GET': {
        const found = store.get(resource, namespace, name);
        if (!found) throw new ApiError(404, 'NotFound', `${resource.plural} "${name}" not found`);
        return { status: 200, object: served(found) };
      }
      case 'PUT':
        return {
          status: 200,
          object: served(
            store.update(resource, namespace, name, asObject(body, resource), {
              status: asStatus,
            }),
          ),
        };
      case 'PATCH': {
        const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
        if (type !== 'application/merge-patch+json') {
          throw new ApiError(
            415,
            'UnsupportedMediaType',
            `the fake API server only applies merge patches, not ${type}`,
          );
        }
        return {
          status: 200,
          object: served(store.patch(resource, namespace, name, body, { status: asStatus })),
        };
      }
      case 'DELETE':
        return { status: 200, object: served(store.remove(resource, namespace, name)) };
      default:
        throw new ApiError(405, 'MethodNotAllowed', `${method} is not allowed`);
    }
  }

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      const apiError =
        error instanceof ApiError ? error : new ApiError(500, 'InternalError', String(error));
      if (!res.headersSent) send(res, apiError.code, apiError.toStatus());
      else res.destroy();
    });
  };
}

/** The `reason` the API server gives with these codes. */
const REASONS: Readonly<Record<number, string>> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  410: 'Expired',
  429: 'TooManyRequests',
};

function matchesRule(rule: FailureRule, method: string, path: string, watch: boolean): boolean {
  if (rule.method !== undefined && rule.method !== method) return false;
  if (rule.watch !== undefined && rule.watch !== watch) return false;
  if (rule.path === undefined) return true;
  return typeof rule.path === 'string' ? path.includes(rule.path) : rule.path.test(path);
}

function asObject(body: unknown, resource: FakeResource): FakeObject {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, 'BadRequest', 'the request body is not a JSON object');
  }
  const object = body as FakeObject;
  // Custom resources are decoded without a Go type to default it from: the body must say.
  if (resource.listItemsHaveKind && (!object.kind || !object.apiVersion)) {
    throw new ApiError(
      400,
      'BadRequest',
      `Object 'Kind' is missing in '${JSON.stringify(body).slice(0, 200)}'`,
    );
  }
  if (typeof object.metadata !== 'object' || object.metadata === null) {
    throw new ApiError(422, 'Invalid', 'metadata: Required value');
  }
  return object;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new ApiError(400, 'BadRequest', 'the request body is not JSON');
  }
}

function send(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}
