/**
 * An Express app that was there before Switchyard: it has its own routes (`/health`,
 * `/api/profile`, `/api/session`) and a body parser. Switchyard is mounted for the delegated
 * prefixes the platform's manifests declare (`/banking`, `/insurance`, `/payments` on
 * `api.example.com`): the core decides, banking and insurance are proxied to their backends, the
 * payments BFF is served in-process, and everything else stays the app's.
 */
import express from 'express';
import type { Express, Request, Response } from 'express';
import type { RouteSource, RouteTable } from '@switchyard/core';
import { staticResolver } from '@switchyard/node';
import type { Logger } from '@switchyard/node';
import { switchyard } from '@switchyard/express';
import type { SwitchyardMiddleware } from '@switchyard/express';
import { paymentsRouter } from './payments.js';

export interface ExampleAppOptions {
  /** The compiled manifests, or a source to swap new tables into. */
  readonly source: RouteSource | RouteTable;
  /** `namespace/name:port` -> origin, for the backends proxied over the network. */
  readonly backends: Readonly<Record<string, string>>;
  readonly logger?: Logger | false;
}

export function createApp(options: ExampleAppOptions): {
  app: Express;
  gateway: SwitchyardMiddleware;
} {
  const app = express();
  app.use(express.json());

  // The app's own routes.
  app.get('/health', (_req: Request, res: Response) => {
    res.json({ status: 'ok' });
  });
  app.post('/api/session', (req: Request, res: Response) => {
    res.status(201).json({ user: (req.body as { user?: string }).user ?? 'anonymous' });
  });

  const gateway = switchyard({
    source: options.source,
    // The Gateway listener these requests count as arriving on (platform/gateway.yaml).
    port: 8080,
    resolver: staticResolver(options.backends),
    handlers: { 'payments/payments-bff:8080': paymentsRouter() },
    logger: options.logger ?? false,
  });
  app.use(gateway);

  // Routes after Switchyard still get everything it does not route.
  app.get('/api/profile', (_req: Request, res: Response) => {
    res.json({ name: 'Ada', plan: 'gold' });
  });
  app.use((req: Request, res: Response) => {
    res.status(404).json({ error: 'not found', path: req.originalUrl });
  });
  return { app, gateway };
}
