/**
 * The shared decision property (`@switchyard/test-kit`) for one Express major: the decision the
 * middleware puts on `req.switchyard` is `resolve(table, sameRequest)`, and the answer carries it
 * out.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Request } from 'express';
import { compile } from '@switchyard/core';
import { staticResolver, swappableSource } from '@switchyard/node';
import {
  APP_NOT_FOUND,
  PROBE_HEADER,
  decisionProperty as sharedDecisionProperty,
} from '@switchyard/test-kit';
import { isUnrouted, switchyard } from '../../src/index.js';
import type { Flavour } from './flavours.js';

export function decisionProperty(flavour: Flavour): void {
  sharedDecisionProperty({
    name: flavour.name,
    field: 'req.switchyard',
    isUnrouted,
    async start(backends) {
      const source = swappableSource(compile([]).table);
      const middleware = switchyard({
        source,
        port: 80,
        resolver: staticResolver(backends),
        logger: false,
      });
      // Each request, kept by its probe: the decision is read from it once answered.
      const seen = new Map<string, Request>();
      const app = flavour.express();
      app.use((req, _res, next) => {
        seen.set(String(req.headers[PROBE_HEADER]), req);
        next();
      });
      app.use(middleware);
      app.use((_req, res) => {
        res.status(404).send(APP_NOT_FOUND);
      });
      const server = createServer(app);
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      const { port } = server.address() as AddressInfo;
      return {
        origin: `http://127.0.0.1:${port}`,
        swap: (table) => source.swap(table),
        takeDecision(probe) {
          const decision = seen.get(probe)?.switchyard;
          seen.delete(probe);
          return decision;
        },
        async close() {
          server.closeAllConnections();
          server.close();
          await middleware.close();
        },
      };
    },
  });
}
