/**
 * One echo backend per backend the case's objects declare: every port of every Service (an h2c
 * echo for `appProtocol: kubernetes.io/h2c` ports), and every kgateway static `Backend`. Their
 * addresses go into a live map (`namespace/name:port` or, for static Backends, `namespace/name`
 * -> origin) that the gateway under test resolves backends through; updates add backends to it.
 */
import { startEchoBackend } from '../echo/server.js';
import type { EchoBackend } from '../echo/server.js';
import type { BackendId } from '../target.js';

type KubeObject = Readonly<Record<string, unknown>>;

/** `namespace/name:port` (Services) or `namespace/name` (static Backends) -> `http://127.0.0.1:<port>`. */
export type BackendAddresses = ReadonlyMap<string, string>;

interface Declared {
  readonly key: string;
  readonly identity: BackendId;
  readonly protocol: 'http1' | 'h2c';
}

function record(value: unknown): Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/** The backends `objects` declare. */
export function declaredBackends(objects: readonly KubeObject[]): Declared[] {
  const declared: Declared[] = [];
  for (const object of objects) {
    const metadata = record(object['metadata']);
    const namespace = typeof metadata['namespace'] === 'string' ? metadata['namespace'] : 'default';
    const name = typeof metadata['name'] === 'string' ? metadata['name'] : '';
    const spec = record(object['spec']);
    if (object['kind'] === 'Service') {
      for (const port of Array.isArray(spec['ports']) ? spec['ports'] : []) {
        const number = record(port)['port'];
        if (typeof number !== 'number') continue;
        const h2c = record(port)['appProtocol'] === 'kubernetes.io/h2c';
        declared.push({
          key: `${namespace}/${name}:${number}`,
          identity: { group: '', kind: 'Service', namespace, name, port: number },
          protocol: h2c ? 'h2c' : 'http1',
        });
      }
    } else if (
      object['kind'] === 'Backend' &&
      String(object['apiVersion']).startsWith('gateway.kgateway.dev/')
    ) {
      declared.push({
        key: `${namespace}/${name}`,
        identity: { group: 'gateway.kgateway.dev', kind: 'Backend', namespace, name },
        protocol: 'http1',
      });
    }
  }
  return declared;
}

/** The echo backends of one case session. */
export class EchoFleet {
  readonly addresses = new Map<string, string>();
  readonly backends = new Map<string, EchoBackend>();

  /** Starts echo backends for every declared backend not running yet. */
  async ensure(objects: readonly KubeObject[]): Promise<void> {
    const missing = declaredBackends(objects).filter(
      (d) => !this.backends.has(`${d.protocol} ${d.key}`),
    );
    const started = await Promise.all(
      missing.map(
        async (d) =>
          [d, await startEchoBackend({ identity: d.identity, protocol: d.protocol })] as const,
      ),
    );
    for (const [d, backend] of started) {
      this.backends.set(`${d.protocol} ${d.key}`, backend);
      this.addresses.set(d.key, backend.origin);
    }
  }

  all(): EchoBackend[] {
    return [...this.backends.values()];
  }

  /** The echo backend standing for `id`, if any. */
  find(id: BackendId): EchoBackend | undefined {
    return this.all().find(
      (backend) =>
        backend.identity.namespace === id.namespace &&
        backend.identity.name === id.name &&
        backend.identity.kind === id.kind &&
        (id.port === undefined ||
          backend.identity.port === undefined ||
          backend.identity.port === id.port),
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.all().map((backend) => backend.close()));
    this.backends.clear();
    this.addresses.clear();
  }
}
