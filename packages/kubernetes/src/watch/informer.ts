/**
 * One resource kept in memory: a client-node `ListWatch` (list, then watch from the list's
 * resourceVersion, relist after 410 Gone) plus what it leaves to its caller: restarting after
 * errors with backoff, asking for bookmarks, not spinning when a server closes watches at once,
 * watching the version the list was served at, and knowing when the cache first held a complete
 * list.
 */
import { ListWatch, Watch, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { httpStatusOf, type RawObject } from '../kube-client.js';
import { apiVersionOf, collectionPath, resourceLabel, type ApiResource } from '../resources.js';
import { createBackoff, type BackoffOptions } from './backoff.js';
import type { CompleteList, ListExpiredEvent } from './list.js';

/** What happened to a watch, for logs and metrics. */
export type WatchEvent =
  | {
      readonly type: 'listed';
      readonly resource: string;
      readonly count: number;
      readonly relist: boolean;
      /** The version that answered, e.g. `gateway.networking.k8s.io/v1beta1`. */
      readonly apiVersion: string;
      /** Requests the list took (`listPageSize` items each). */
      readonly pages: number;
    }
  | {
      readonly type: 'watch-error';
      readonly resource: string;
      readonly error: unknown;
      readonly retryInMs: number;
    }
  | { readonly type: 'absent'; readonly resource: string }
  /** A watch was (re)opened after an error: the resource is healthy again, though nothing changed. */
  | { readonly type: 'watching'; readonly resource: string }
  | ListExpiredEvent;

/**
 * One change of an informer's cache. A relist reports only the objects whose resourceVersion
 * differs from the cached one, and a deletion for each cached object it no longer holds.
 */
export type CacheChange =
  | { readonly type: 'added' | 'updated' | 'deleted'; readonly object: RawObject }
  /** The resource is not installed: its cache is empty until it is. */
  | { readonly type: 'absent' };

export interface InformerOptions {
  readonly kubeConfig: KubeConfig;
  /** At its preferred version; the list decides which version is watched. */
  readonly resource: ApiResource;
  /** A complete list (see `listAll`): the watch then runs at `served`, from its resourceVersion. */
  readonly list: () => Promise<CompleteList>;
  /** The watch's field selector; the list must apply the same one. */
  readonly fieldSelector?: string;
  readonly backoff?: BackoffOptions;
  /** After every change of the cache: an object added, changed or deleted, or the resource absent. */
  readonly onChange: (change: CacheChange) => void;
  readonly onEvent?: (event: WatchEvent) => void;
}

export interface Informer {
  readonly resource: ApiResource;
  /** The resource at the version the last successful list was served at (the preferred before). */
  served(): ApiResource;
  /** True once a list succeeded (or the resource turned out not to be installed). */
  isSynced(): boolean;
  /** Resolves when `isSynced()` first becomes true. */
  readonly synced: Promise<void>;
  /** The cached objects, as the API server sent them. */
  list(): readonly RawObject[];
  get(namespace: string, name: string): RawObject | undefined;
  /** The resourceVersion the next watch resumes from ('' = it will relist). */
  resourceVersion(): string;
  /** The error of the last failed list or watch, until a list succeeds; undefined when healthy. */
  lastError(): unknown;
  /** True while the server answers 404 at every version: the CRD is not installed. */
  isAbsent(): boolean;
  start(): void;
  stop(): Promise<void>;
}

/** A watch that ends this soon without any event is treated as a failure, and backs off. */
const MIN_HEALTHY_WATCH_MS = 1000;

/**
 * @example
 * ```ts
 * const routes = createInformer({ kubeConfig, resource: RESOURCES.httpRoutes, list, onChange: schedule });
 * routes.start();
 * await routes.synced;
 * ```
 */
export function createInformer(options: InformerOptions): Informer {
  const { resource } = options;
  const id = resourceLabel(resource);
  let served = resource;
  const backoff = createBackoff(options.backoff);
  const emit = options.onEvent ?? (() => {});
  let stopped = true;
  let synced = false;
  let listed = false;
  let failure: unknown;
  let absent = false;
  let restartTimer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  const running = new Set<Promise<void>>();
  let markSynced!: () => void;
  const syncedPromise = new Promise<void>((resolve) => (markSynced = resolve));
  const setSynced = () => {
    if (synced) return;
    synced = true;
    markSynced();
  };

  /** Keeps a request's promise until it settles, so that `stop()` can wait for it. */
  const track = <T>(promise: Promise<T>): Promise<T> => {
    const settled = promise.then(
      () => {},
      () => {},
    );
    running.add(settled);
    void settled.then(() => running.delete(settled));
    return promise;
  };

  const list = async (): Promise<CompleteList> => {
    const result = await track(options.list());
    served = result.served;
    emit({
      type: 'listed',
      resource: id,
      count: result.items.length,
      relist: listed,
      apiVersion: apiVersionOf(served),
      pages: result.pages,
    });
    listed = true;
    failure = undefined;
    absent = false;
    backoff.reset();
    return result;
  };

  /** Waits, unless `stop()` interrupts; false when stopped. */
  const sleep = (ms: number) =>
    new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        wake = undefined;
        resolve(!stopped);
      }, ms);
      wake = () => {
        clearTimeout(timer);
        wake = undefined;
        resolve(false);
      };
    });

  let lastWatch: { startedAt: number; events: number } | undefined;
  const watch = new ResumingWatch(options.kubeConfig, {
    async beforeWatch() {
      if (stopped) return false;
      // A watch is only opened on a consistent cache: right after a list, or resuming one.
      setSynced();
      const previous = lastWatch;
      if (
        previous &&
        previous.events === 0 &&
        Date.now() - previous.startedAt < MIN_HEALTHY_WATCH_MS
      ) {
        if (!(await sleep(backoff.next()))) return false;
      }
      lastWatch = { startedAt: Date.now(), events: 0 };
      return true;
    },
    onWatchEvent() {
      if (lastWatch) lastWatch.events += 1;
      backoff.reset();
    },
    onWatchOpened() {
      // A resumed watch does not relist, so only this says the earlier error is over.
      if (failure === undefined) return;
      failure = undefined;
      emit({ type: 'watching', resource: id });
    },
    path: () => collectionPath(served),
    onNotServed(error) {
      emit({ type: 'watch-error', resource: id, error, retryInMs: 0 });
    },
    isStopped: () => stopped,
    track,
  });
  // client-node types objects with its generated classes; ours stay plain JSON (`RawObject`).
  const informer = new ListWatch<KubernetesObject>(
    collectionPath(resource),
    watch,
    list as unknown as () => Promise<{ items: KubernetesObject[] }>,
    false,
    undefined,
    options.fieldSelector,
  );
  const changed =
    (type: 'added' | 'updated' | 'deleted') =>
    (object: KubernetesObject): void =>
      options.onChange({ type, object: object as unknown as RawObject });
  informer.on('add', changed('added'));
  informer.on('update', changed('updated'));
  informer.on('delete', changed('deleted'));
  informer.on('error', (error: unknown) => {
    if (stopped) return;
    const status = httpStatusOf(error);
    failure = error;
    if (status === 404 && !listed) absent = true;
    if (status === 404 && !synced) {
      // The CRD is not installed (kgateway Backends, often): serve without it, keep looking.
      emit({ type: 'absent', resource: id });
      setSynced();
      options.onChange({ type: 'absent' });
    }
    const retryInMs = backoff.next();
    emit({ type: 'watch-error', resource: id, error, retryInMs });
    clearTimeout(restartTimer);
    restartTimer = setTimeout(run, retryInMs);
  });

  function run() {
    restartTimer = undefined;
    if (stopped) return;
    track(informer.start()).catch((error: unknown) => {
      emit({ type: 'watch-error', resource: id, error, retryInMs: 0 });
    });
  }

  return {
    resource,
    served: () => served,
    isSynced: () => synced,
    synced: syncedPromise,
    list: () => informer.list() as unknown as readonly RawObject[],
    get: (namespace, name) =>
      informer.get(name, resource.namespaced ? namespace : undefined) as unknown as
        RawObject | undefined,
    resourceVersion: () => informer.latestResourceVersion(),
    lastError: () => failure,
    isAbsent: () => absent,
    start() {
      if (!stopped) return;
      stopped = false;
      run();
    },
    async stop() {
      stopped = true;
      clearTimeout(restartTimer);
      wake?.();
      await informer.stop();
      // A list in flight cannot be aborted: wait for it, so that no request outlives the source.
      while (running.size > 0) await Promise.all([...running]);
    },
  };
}

interface WatchHooks {
  /** Runs before each watch request; false cancels it (the informer is stopping). */
  beforeWatch(): Promise<boolean>;
  onWatchEvent(): void;
  /** The server accepted the watch request (answered 200). */
  onWatchOpened(): void;
  isStopped(): boolean;
  track<T>(promise: Promise<T>): Promise<T>;
  /** The collection to watch: that of the version the last list was served at. */
  path(): string;
  /** The watch was answered 404: it relists instead of resuming. */
  onNotServed(error: unknown): void;
}

/**
 * client-node's `Watch`, asking for bookmarks (so that a resumed watch starts from a recent
 * resourceVersion and rarely meets 410 Gone), watching the version the list was served at, and
 * giving the informer a say before each request.
 */
class ResumingWatch extends Watch {
  constructor(
    config: KubeConfig,
    private readonly hooks: WatchHooks,
  ) {
    super(config);
  }

  override async watch(
    _path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, apiObj: unknown, watchObj?: unknown) => void,
    done: (err: unknown) => void,
  ): Promise<AbortController> {
    if (!(await this.hooks.beforeWatch())) return new AbortController();
    const onEvent = (phase: string, apiObj: unknown, watchObj?: unknown) => {
      this.hooks.onWatchEvent();
      callback(phase, apiObj, watchObj);
    };
    let ended = false;
    const finished = (error: unknown) => {
      ended = true;
      if (httpStatusOf(error) !== 404) return done(error);
      // No longer served (a CRD removed, or this version of it): resuming would meet 404 again and
      // again. A 410 makes ListWatch relist, which looks for the resource at every version.
      this.hooks.onNotServed(error);
      done(Object.assign(new Error('not served at this version: relisting'), { statusCode: 410 }));
    };
    const query = { ...queryParams, allowWatchBookmarks: true };
    // ListWatch keeps the path it was made with (`_path`); the version the list was served at decides.
    const controller = await this.hooks.track(
      super.watch(this.hooks.path(), query, onEvent, finished),
    );
    // Stopped while the request was being made: the informer could not abort it yet.
    if (this.hooks.isStopped()) controller.abort();
    // `super.watch` resolves after failures too (having called `finished`): only a request still
    // streaming was accepted.
    else if (!ended) this.hooks.onWatchOpened();
    return controller;
  }
}
