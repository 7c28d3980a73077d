/**
 * A Fastify app with the Switchyard plugin as an `httpTarget` factory: the case's objects
 * compiled for one Gateway into a swappable source, one Fastify instance per listener port of the
 * table (HTTPS with the test certificate and HTTP/2 by ALPN; HTTP with h2c next to HTTP/1.1), one proxy engine shared by all of
 * them, backends through the echo fleet's live address map. Nothing else is registered: an
 * unrouted request falls through to Fastify's own 404.
 */
import { compile } from '@switchyard/core';
import type { CompileResult, RouteTable } from '@switchyard/core';
import { createProxy, staticResolver, swappableSource } from '@switchyard/node';
import type { HttpGatewayFactory } from '@switchyard/test-kit';
import { seededRandom, testCertificate } from '@switchyard/test-kit';
import type { FastifyInstance } from 'fastify';
import { switchyard } from '../../src/index.js';
import type { Flavour } from './flavours.js';

export function fastifyGatewayFactory(flavour: Flavour): HttpGatewayFactory {
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
    const apps = new Map<number, { app: FastifyInstance; port: number }>();

    const serve = async (port: number, protocol: 'HTTP' | 'HTTPS'): Promise<void> => {
      const app = flavour.create(protocol === 'HTTPS' ? { tls: testCertificate() } : { h2c: true });
      await app.register(switchyard, { source, proxy, port, websocket: true });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      if (address === null || typeof address === 'string') throw new Error('no TCP address');
      apps.set(port, { app, port: address.port });
    };
    const ensure = async (table: RouteTable): Promise<void> => {
      for (const listener of table.listeners) {
        if (!apps.has(listener.port)) await serve(listener.port, listener.protocol);
      }
    };
    await ensure(result.table);

    return {
      addressFor: (port) => {
        const entry = apps.get(port);
        return entry === undefined ? undefined : { host: '127.0.0.1', port: entry.port };
      },
      async apply(objects) {
        result = build(objects);
        source.swap(result.table);
        await ensure(result.table);
      },
      async close() {
        await proxy.close({ force: true });
        await Promise.all([...apps.values()].map(({ app }) => app.close()));
      },
    };
  };
}
