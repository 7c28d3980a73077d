/**
 * A Fastify app that was there before Switchyard: it has its own routes (`/health`,
 * `/api/profile`, `/api/session`). Switchyard is registered for the delegated prefixes the
 * platform's manifests declare (`/banking`, `/insurance`, `/payments` on `api.example.com`): the
 * core decides before Fastify's router, banking and insurance are proxied to their backends (access
 * lines in Fastify's log), the payments BFF is served in-process, and everything else stays the
 * app's.
 */
import Fastify from 'fastify';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { RouteSource, RouteTable } from '@switchyard/core';
import { staticResolver } from '@switchyard/node';
import switchyard from '@switchyard/fastify';
import { paymentsHandler } from './payments.js';

export interface ExampleAppOptions {
  /** The compiled manifests, or a source to swap new tables into. */
  readonly source: RouteSource | RouteTable;
  /** `namespace/name:port` -> origin, for the backends proxied over the network. */
  readonly backends: Readonly<Record<string, string>>;
  readonly logger?: FastifyServerOptions['logger'];
}

export async function createApp(options: ExampleAppOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false });

  // The app's own routes.
  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/api/profile', async () => ({ name: 'Ada', plan: 'gold' }));
  app.post('/api/session', async (request, reply) =>
    reply
      .code(201)
      .send({ user: (request.body as { user?: string } | undefined)?.user ?? 'anonymous' }),
  );
  app.setNotFoundHandler(async (request, reply) =>
    reply.code(404).send({ error: 'not found', path: request.url }),
  );

  await app.register(switchyard, {
    source: options.source,
    // The Gateway listener these requests count as arriving on (platform/gateway.yaml).
    port: 8080,
    resolver: staticResolver(options.backends),
    handlers: { 'payments/payments-bff:8080': paymentsHandler },
  });
  return app;
}
