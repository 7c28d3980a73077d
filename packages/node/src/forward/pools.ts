/**
 * Connection pools, one per backend origin (and per protocol: `kubernetes.io/h2c` backends speak
 * cleartext HTTP/2 over one multiplexed connection). Pools live as long as the proxy: a table swap
 * does not touch them, so keep-alive connections survive configuration changes.
 */
import { H2CClient, Pool } from 'undici';
import type { Dispatcher, buildConnector } from 'undici';
import { DestinationGuard } from '../destinations/guard.js';
import { InvalidOptionError } from '../errors.js';
import { clampDelay } from '../timers.js';

export interface PoolOptions {
  /** Connections per origin; default 128. `0` means unlimited. */
  readonly connections?: number;
  /** Idle keep-alive connections are closed after this long; default 4000 ms (undici's). */
  readonly keepAliveTimeoutMs?: number;
  /** Time to establish a connection; default 10000 ms. */
  readonly connectTimeoutMs?: number;
  /**
   * Safety net for backends that never send headers when the route sets no timeout; default
   * 300000 ms. Exceeding it answers 504 (`SWY_BACKEND_TIMEOUT`).
   */
  readonly headersTimeoutMs?: number;
  /** Longest pause between two body chunks of a response; default 300000 ms. */
  readonly bodyTimeoutMs?: number;
  /**
   * Requests that may wait for a connection per origin once all `connections` are busy; more are
   * answered 503 `SWY_BACKEND_SATURATED` at once. Default 1024.
   */
  readonly maxQueued?: number;
  /**
   * Requests per origin whose body is streamed (larger than `body.bufferBytes`) that may hold or
   * wait for a connection at once; more are answered 503 `SWY_BACKEND_SATURATED`. Clients that
   * trickle large bodies can then pin at most this many connections, and the rest stay for
   * everyone else. Default: half of `connections`.
   */
  readonly maxStreamingBodies?: number;
  /** Longest wait for a connection; then 503 `SWY_BACKEND_SATURATED`. Default 15000 ms; 0: none. */
  readonly queueTimeoutMs?: number;
  /** Largest response header block accepted from a backend; default 16 KiB (Node's). */
  readonly maxResponseHeaderSize?: number;
  /** TLS options for `https` origins (CA bundle, client certificate...). */
  readonly tls?: {
    readonly ca?: string | Buffer | readonly (string | Buffer)[];
    readonly rejectUnauthorized?: boolean;
    readonly cert?: string | Buffer;
    readonly key?: string | Buffer;
  };
}

/** A pool option that must be a number >= 0, or its default. */
function atLeastZero(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (Number.isNaN(value) || value < 0) {
    throw new InvalidOptionError(`pool.${name} must be a number >= 0 (got ${value})`);
  }
  return value;
}

/** Concurrent streams undici's H2CClient opens on its one connection (its default). */
const H2C_STREAMS = 100;

/** One request's place in a pool. */
export class Admission {
  private released = false;

  constructor(
    private readonly counts: PoolCounts,
    private readonly key: string,
    /** Every connection was busy when it was admitted: it waits in the queue. */
    readonly queued: boolean,
    /** Its request body is streamed. */
    private readonly streaming: boolean,
  ) {}

  release(): void {
    if (this.released) return;
    this.released = true;
    decrement(this.counts.all, this.key);
    if (this.streaming) decrement(this.counts.streaming, this.key);
  }
}

/** Requests dispatched and not settled (running or queued), per pool key. */
interface PoolCounts {
  readonly all: Map<string, number>;
  readonly streaming: Map<string, number>;
}

function decrement(counts: Map<string, number>, key: string): void {
  const left = (counts.get(key) ?? 1) - 1;
  if (left <= 0) counts.delete(key);
  else counts.set(key, left);
}

/** The pools of one proxy, created on first use. */
export class PoolSet {
  private readonly pools = new Map<string, Dispatcher>();
  private readonly counts: PoolCounts = { all: new Map(), streaming: new Map() };
  private readonly capacity: number;
  private readonly connections: number;
  private readonly maxStreaming: number;
  /** Longest wait for a connection, 0 for none. */
  readonly queueTimeoutMs: number;

  constructor(
    private readonly options: PoolOptions = {},
    /** Refuses self-targets and denied destinations in every pool's connector. */
    private readonly guard: DestinationGuard = new DestinationGuard(),
  ) {
    this.connections =
      options.connections === 0 ? Infinity : atLeastZero(options.connections, 128, 'connections');
    this.capacity = this.connections + atLeastZero(options.maxQueued, 1024, 'maxQueued');
    this.maxStreaming = atLeastZero(
      options.maxStreamingBodies,
      Math.ceil(this.connections / 2),
      'maxStreamingBodies',
    );
    this.queueTimeoutMs = clampDelay(atLeastZero(options.queueTimeoutMs, 15_000, 'queueTimeoutMs'));
  }

  /**
   * Takes a place in `origin`'s pool (a connection, or a queue slot when every connection is
   * busy): `release()` gives it back (idempotent) once undici settles the request. Undefined when
   * the pool and its queue are full, or, for a request whose body is `streaming`, when
   * `maxStreamingBodies` such requests already hold places.
   */
  admit(origin: string, h2c: boolean, streaming = false): Admission | undefined {
    const key = h2c ? `h2c+${origin}` : origin;
    const { all, streaming: streamingCounts } = this.counts;
    const count = all.get(key) ?? 0;
    if (count >= this.capacity) return undefined;
    if (streaming) {
      const streams = streamingCounts.get(key) ?? 0;
      if (streams >= this.maxStreaming) return undefined;
      streamingCounts.set(key, streams + 1);
    }
    all.set(key, count + 1);
    const queued = count >= (h2c ? H2C_STREAMS : this.connections);
    return new Admission(this.counts, key, queued, streaming);
  }

  /** The dispatcher for `origin`; `h2c` selects cleartext HTTP/2 with prior knowledge. */
  get(origin: string, h2c: boolean): Dispatcher {
    const key = h2c ? `h2c+${origin}` : origin;
    let pool = this.pools.get(key);
    if (pool === undefined) {
      pool = this.create(origin, h2c);
      this.pools.set(key, pool);
    }
    return pool;
  }

  private create(origin: string, h2c: boolean): Dispatcher {
    const o = this.options;
    const common = {
      keepAliveTimeout: clampDelay(o.keepAliveTimeoutMs ?? 4000),
      headersTimeout: clampDelay(o.headersTimeoutMs ?? 300_000),
      bodyTimeout: clampDelay(o.bodyTimeoutMs ?? 300_000),
      ...(o.maxResponseHeaderSize === undefined ? {} : { maxHeaderSize: o.maxResponseHeaderSize }),
    };
    const timeout = clampDelay(o.connectTimeoutMs ?? 10_000);
    if (h2c) {
      // `useH2c` is a buildConnector option undici's types do not list (H2CClient passes it too).
      const h2cOptions = { timeout, allowH2: true, useH2c: true } as buildConnector.BuildOptions;
      const connect = this.guard.connector(origin, h2cOptions);
      return new H2CClient(origin, { ...common, connect });
    }
    const tls = o.tls;
    const connect = this.guard.connector(origin, {
      timeout,
      ...(tls === undefined
        ? {}
        : {
            ...(tls.ca === undefined
              ? {}
              : { ca: tls.ca as string | Buffer | (string | Buffer)[] }),
            ...(tls.cert === undefined ? {} : { cert: tls.cert }),
            ...(tls.key === undefined ? {} : { key: tls.key }),
            ...(tls.rejectUnauthorized === undefined
              ? {}
              : { rejectUnauthorized: tls.rejectUnauthorized }),
          }),
    });
    return new Pool(origin, {
      ...common,
      connections: o.connections === 0 ? null : (o.connections ?? 128),
      pipelining: 1,
      connect,
    });
  }

  /** Closes every pool, letting in-flight requests finish; `force` aborts them instead. */
  async close(force = false): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(
      pools.map((pool) => (force ? pool.destroy() : pool.close()).catch(() => undefined)),
    );
  }
}
