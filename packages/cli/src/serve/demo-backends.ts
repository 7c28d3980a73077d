/**
 * `serve --demo-backends`: a small echo server on every local origin of the backend map, so an
 * example runs on one machine with nothing else installed. Each answers with the backend it
 * stands in for and the request it received, as one line of JSON, plus `x-demo-backend`.
 */
import { createServer, type Server } from 'node:http';
import { CliError, EXIT } from '../errors.js';
import type { BackendMap } from './backend-map.js';

export interface DemoBackends {
  /** origin → the backend keys it stands in for. */
  readonly servers: ReadonlyMap<string, readonly string[]>;
  close(): Promise<void>;
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Starts one echo server per distinct origin of the map. Origins must be local `http://` with a
 * port; a port in use is a startup error (exit 3).
 *
 * @example
 * ```ts
 * const demo = await startDemoBackends({ 'banking/accounts:8080': 'http://127.0.0.1:9101' });
 * // GET http://127.0.0.1:9101/banking/accounts/42
 * // → {"backend":"banking/accounts:8080","method":"GET","path":"/banking/accounts/42","host":"..."}
 * await demo.close();
 * ```
 */
export async function startDemoBackends(map: BackendMap): Promise<DemoBackends> {
  const byOrigin = new Map<string, string[]>();
  for (const [key, origin] of Object.entries(map).sort(([a], [b]) => (a < b ? -1 : 1))) {
    byOrigin.set(origin, [...(byOrigin.get(origin) ?? []), key]);
  }
  const servers: Server[] = [];
  try {
    for (const [origin, keys] of byOrigin) {
      const url = new URL(origin);
      if (url.protocol !== 'http:' || !LOCAL_HOSTS.has(url.hostname) || url.port === '') {
        throw new CliError(
          `--demo-backends serves only local http://127.0.0.1:<port> origins; ${keys.join(', ')} → ${origin} is not one`,
        );
      }
      servers.push(
        await listen(
          echoServer(keys.join(', ')),
          Number(url.port),
          url.hostname.replace(/^\[|\]$/g, ''),
        ),
      );
    }
  } catch (error) {
    await Promise.all(servers.map(close));
    if (error instanceof CliError) throw error;
    throw new CliError(
      `--demo-backends: ${error instanceof Error ? error.message : String(error)}`,
      EXIT.runtime,
    );
  }
  return {
    servers: byOrigin,
    close: async () => {
      await Promise.all(servers.map(close));
    },
  };
}

function echoServer(backend: string): Server {
  return createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.stringify({
        backend,
        method: request.method,
        path: request.url,
        host: request.headers.host,
        ...(chunks.length === 0 ? {} : { bodyBytes: Buffer.concat(chunks).length }),
      });
      response.writeHead(200, {
        'content-type': 'application/json',
        'x-demo-backend': backend,
      });
      response.end(`${body}\n`);
    });
  });
}

function listen(server: Server, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
