/**
 * The decision property for one Express major: whatever the world and the request, the decision
 * the middleware puts on `req.switchyard` is `resolve(table, sameRequest)`, and the answer carries
 * it out (the app's own 404 for unrouted requests, the engine's status for the others, a backend
 * for forwards). Real sockets; one app whose table is swapped for every generated world.
 */
import { once } from 'node:events';
import { Agent, createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile, resolve } from '@switchyard/core';
import type { Decision, RouteTable } from '@switchyard/core';
import { staticResolver, swappableSource } from '@switchyard/node';
import type { SwappableSource } from '@switchyard/node';
import type { Request } from 'express';
import { isUnrouted, switchyard } from '../../src/index.js';
import type { SwitchyardMiddleware } from '../../src/index.js';
import { propertyParameters, requestArb, worldArb } from '@switchyard/test-kit';
import type { Answer, GeneratedRequest } from '@switchyard/test-kit';
import { send as sendRequest } from '@switchyard/test-kit';
import { startCaptureBackend } from '@switchyard/test-kit';
import type { CaptureBackend } from '@switchyard/test-kit';
import type { Flavour } from './flavours.js';

const PROBE = 'x-probe';

export function decisionProperty(flavour: Flavour): void {
  describe(`${flavour.name}: the decision on req.switchyard`, () => {
    let backend: CaptureBackend;
    let source: SwappableSource;
    let middleware: SwitchyardMiddleware;
    let server: Server;
    let port: number;
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    const seen = new Map<string, Request>();
    let probes = 0;

    beforeAll(async () => {
      backend = await startCaptureBackend('any');
      source = swappableSource(compile([]).table);
      const origin = backend.origin;
      const services = ['bank', 'pay', 'ins', 'infra'].flatMap((ns) => [
        `${ns}/svc-a:8080`,
        `${ns}/svc-b:8080`,
      ]);
      middleware = switchyard({
        source,
        port: 80,
        resolver: staticResolver(Object.fromEntries(services.map((key) => [key, origin]))),
        logger: false,
      });
      const app = flavour.express();
      app.use((req, _res, next) => {
        seen.set(String(req.headers[PROBE]), req);
        next();
      });
      app.use(middleware);
      app.use((_req, res) => {
        res.status(404).send('the app');
      });
      server = createServer(app);
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      port = (server.address() as AddressInfo).port;
    });

    afterAll(async () => {
      agent.destroy();
      server.closeAllConnections();
      server.close();
      await middleware.close();
      await backend.close();
    });

    function send(generated: GeneratedRequest, probe: string): Promise<Answer> {
      return sendRequest(`http://127.0.0.1:${port}`, generated.path, {
        method: generated.method,
        headers: { ...generated.headers, host: generated.host, [PROBE]: probe },
        agent,
      });
    }

    function expectCarriedOut(decision: Decision, outcome: Answer): void {
      if (isUnrouted(decision)) {
        expect(outcome.body).toBe('the app');
      } else if (decision.kind === 'forward') {
        // Every backend of the world resolves; a forward ends at the backend (or at a 500 for a
        // share whose reference is invalid).
        const invalid = decision.backends.some((b) => b.invalid !== undefined);
        if (outcome.headers['x-backend'] === undefined)
          expect(invalid && outcome.status === 500).toBe(true);
      } else {
        expect(outcome.status).toBe(decision.status);
        if (decision.kind === 'redirect') expect(outcome.headers.location).toBe(decision.location);
      }
    }

    it('equals resolve(table, sameRequest) and is carried out (property)', async () => {
      const scenario = fc.tuple(worldArb, fc.array(requestArb, { minLength: 1, maxLength: 8 }));
      // What the runs covered: each kind of decision must come up, or the property proves little.
      const kinds = new Map<string, number>();
      await fc.assert(
        fc.asyncProperty(scenario, async ([objects, requests]) => {
          const table: RouteTable = compile(objects).table;
          source.swap(table);
          for (const generated of requests) {
            const probe = String(++probes);
            const outcome = await send(generated, probe);
            const observed = seen.get(probe)?.switchyard;
            seen.delete(probe);
            const expected = resolve(table, {
              method: generated.method,
              path: generated.path,
              host: generated.host,
              headers: generated.headers,
              port: 80,
              scheme: 'http',
            });
            expect(observed).toEqual(expected);
            expectCarriedOut(expected, outcome);
            const kind = isUnrouted(expected)
              ? 'unrouted'
              : expected.kind === 'respond'
                ? `respond ${expected.status}`
                : expected.kind;
            kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
          }
        }),
        propertyParameters(`${flavour.name} decision`),
      );
      console.log(`[fast-check] ${flavour.name} decisions:`, Object.fromEntries(kinds));
      for (const kind of ['forward', 'redirect', 'unrouted', 'respond 500', 'respond 400']) {
        expect(kinds.get(kind) ?? 0, kind).toBeGreaterThan(0);
      }
    });
  });
}
