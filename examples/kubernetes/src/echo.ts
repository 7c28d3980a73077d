/** Local echo servers standing in for the teams' Pods and the payments team's external provider. */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface EchoBackends {
  /** `namespace/name:port` -> `http://127.0.0.1:<port>`. */
  readonly origins: ReadonlyMap<string, string>;
  close(): Promise<void>;
}

/**
 * One echo server per key, on a free port: it answers JSON naming the backend it stands for and
 * the path it received, so a response says who served it.
 */
export async function startEchoBackends(keys: readonly string[]): Promise<EchoBackends> {
  const servers: Server[] = [];
  const origins = new Map<string, string>();
  for (const key of keys) {
    const server = createServer((req, res) => {
      req.resume();
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ served: key, method: req.method, path: req.url }));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    servers.push(server);
    origins.set(key, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  }
  return {
    origins,
    close: async () => {
      await Promise.all(
        servers.map((server) => {
          server.closeAllConnections();
          return new Promise((resolve) => server.close(resolve));
        }),
      );
    },
  };
}
