/**
 * Prometheus metrics through prom-client, in a registry of their own (never the global one, so
 * two proxies in one process, or a host application, do not collide). Label children are cached:
 * prom-client hashes label objects on every call, a Map lookup by one string is cheaper.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface MetricsOptions {
  /** Register into this registry; default: a new one. */
  readonly registry?: Registry;
  /** Metric name prefix; default `switchyard_`. */
  readonly prefix?: string;
  /** Latency histogram buckets in seconds. */
  readonly buckets?: readonly number[];
  /** Also collect prom-client's process metrics (CPU, memory, event loop lag); default false. */
  readonly processMetrics?: boolean;
}

/** What the proxy records. Labels: `route` = `namespace/name` of the deciding rule's route. */
export interface ProxyMetrics {
  readonly registry: Registry;
  /** One finished exchange: `backend` is `namespace/name:port`, '' when no backend was chosen. */
  request(route: string, backend: string, status: number, seconds: number): void;
  /** One failed backend attempt (retried or not), by error code. */
  upstreamError(route: string, backend: string, code: string): void;
  /** In-flight exchanges (including WebSocket tunnels). */
  inFlight(delta: number): void;
  /** A route table swap seen by a gateway. */
  tableSwap(): void;
}

const DEFAULT_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Creates the proxy's metrics: `switchyard_requests_total{route,backend,code}`,
 * `switchyard_request_duration_seconds{route,backend}`,
 * `switchyard_upstream_errors_total{route,backend,error}`, `switchyard_in_flight_requests`,
 * `switchyard_table_swaps_total`.
 *
 * @example
 * ```ts
 * const metrics = createMetrics();
 * const proxy = createProxy({ metrics });
 * console.log(await metrics.registry.metrics());
 * ```
 */
export function createMetrics(options: MetricsOptions = {}): ProxyMetrics {
  const registry = options.registry ?? new Registry();
  const prefix = options.prefix ?? 'switchyard_';
  if (options.processMetrics) collectDefaultMetrics({ register: registry, prefix });
  const requests = new Counter({
    name: `${prefix}requests_total`,
    help: 'Requests answered, by route, backend and status code.',
    labelNames: ['route', 'backend', 'code'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: `${prefix}request_duration_seconds`,
    help: 'Time from request arrival to the end of the answer, by route and backend.',
    labelNames: ['route', 'backend'] as const,
    buckets: [...(options.buckets ?? DEFAULT_BUCKETS)],
    registers: [registry],
  });
  const errors = new Counter({
    name: `${prefix}upstream_errors_total`,
    help: 'Failed backend attempts, by route, backend and error code.',
    labelNames: ['route', 'backend', 'error'] as const,
    registers: [registry],
  });
  const inFlight = new Gauge({
    name: `${prefix}in_flight_requests`,
    help: 'Exchanges in progress, WebSocket tunnels included.',
    registers: [registry],
  });
  const swaps = new Counter({
    name: `${prefix}table_swaps_total`,
    help: 'Route tables swapped in.',
    registers: [registry],
  });
  const requestChildren = new Map<string, { inc(): void }>();
  const durationChildren = new Map<string, { observe(value: number): void }>();
  return {
    registry,
    request(route, backend, status, seconds) {
      const key = `${route}\u0000${backend}`;
      const codeKey = `${key}\u0000${status}`;
      let counter = requestChildren.get(codeKey);
      if (counter === undefined) {
        counter = requests.labels(route, backend, String(status));
        requestChildren.set(codeKey, counter);
      }
      counter.inc();
      let histogram = durationChildren.get(key);
      if (histogram === undefined) {
        histogram = duration.labels(route, backend);
        durationChildren.set(key, histogram);
      }
      histogram.observe(seconds);
    },
    upstreamError(route, backend, code) {
      errors.labels(route, backend, code).inc();
    },
    inFlight(delta) {
      inFlight.inc(delta);
    },
    tableSwap() {
      swaps.inc();
    },
  };
}
