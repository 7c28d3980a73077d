/**
 * An Express app with the Switchyard middleware as an `httpTarget` factory: the case's objects
 * compiled for one Gateway into a swappable source, one Express server per listener port of the
 * table (HTTPS with the test certificate), one proxy engine shared by all of them, backends
 * through the echo fleet's live address map. The app has nothing else mounted: an unrouted request
 * falls through to Express's own 404.
 */
import { once } from 'node:events';
import { createServer as createHttpServer } from 'node:http';
import type { Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { compile } from '@switchyard/core';
import type { CompileResult, RouteTable } from '@switchyard/core';
import { createProxy, staticResolver, swappableSource } from '@switchyard/node';
import type { HttpGatewayFactory } from '@switchyard/test-kit';
import { seededRandom, testCertificate } from '@switchyard/test-kit';
import { switchyard } from '../../src/index.js';
import type { Flavour } from './flavours.js';

export function expressGatewayFactory(flavour: Flavour): HttpGatewayFactory {
  return async (input) => {
    const build = (objects: readonly unknown[]): CompileResult =>
      compile(objects, { ...input.compileOptions, gateway: input.gateway });
    let result = build(input.objects);
    const source = swappableSource(result.table);
    const proxy = createProxy({
      resolver: staticResolver(input.backends),
      random: seededRandom(),
      logger: false,
    });
    const servers = new Map<number, { server: Server; address: AddressInfo }>();

    const serve = async (port: number, protocol: 'HTTP' | 'HTTPS'): Promise<void> => {
      const app = flavour.express();
      const middleware = switchyard({ source, proxy, port });
      app.use(middleware);
      const server =
        protocol === 'HTTPS'
          ? createHttpsServer({ ...testCertificate() }, app)
          : createHttpServer(app);
      server.on('upgrade', middleware.upgrade);
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      servers.set(port, { server, address: server.address() as AddressInfo });
    };
    const ensure = async (table: RouteTable): Promise<void> => {
      for (const listener of table.listeners) {
        if (!servers.has(listener.port)) await serve(listener.port, listener.protocol);
      }
    };
    await ensure(result.table);

    return {
      addressFor: (port) => {
        const entry = servers.get(port);
        return entry === undefined ? undefined : { host: '127.0.0.1', port: entry.address.port };
      },
      async apply(objects) {
        result = build(objects);
        source.swap(result.table);
        await ensure(result.table);
      },
      async close() {
        await Promise.all(
          [...servers.values()].map(async ({ server }) => {
            server.closeAllConnections();
            server.close();
            await once(server, 'close');
          }),
        );
        await proxy.close({ force: true });
      },
    };
  };
}
