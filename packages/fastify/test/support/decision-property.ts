/**
 * The decision property for one Fastify major: whatever the world and the request, the decision
 * the plugin puts on `request.switchyard` is `resolve(table, sameRequest)`, and the answer carries
 * it out (Fastify's own 404 for unrouted requests, the engine's status for the others, a backend
 * for forwards). Real sockets; one app whose table is swapped for every generated world.
 *
 * One exception, pinned here: a URL Fastify's router cannot decode (`%zz`) is answered before any
 * hook runs (Fastify 5: 400 `FST_ERR_BAD_URL`; Fastify 4: its not-found handler), so no decision
 * is made; the core answers such a URL 400.
 */
import { Agent } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile, resolve } from '@switchyard/core';
import type { Decision, RouteTable } from '@switchyard/core';
import { staticResolver, swappableSource } from '@switchyard/node';
import type { SwappableSource } from '@switchyard/node';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isUnrouted, switchyard } from '../../src/index.js';
import { propertyParameters, requestArb, worldArb } from '@switchyard/test-kit';
import type { Answer, GeneratedRequest } from '@switchyard/test-kit';
import { send as sendRequest } from '@switchyard/test-kit';
import { startCaptureBackend } from '@switchyard/test-kit';
import type { CaptureBackend } from '@switchyard/test-kit';
import type { Flavour } from './flavours.js';

const PROBE = 'x-probe';

export function decisionProperty(flavour: Flavour): void {
  describe(`${flavour.name}: the decision on request.switchyard`, () => {
    let backend: CaptureBackend;
    let source: SwappableSource;
    let app: FastifyInstance;
    let port: number;
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    const seen = new Map<string, FastifyRequest>();
    let probes = 0;

    beforeAll(async () => {
      backend = await startCaptureBackend('any');
      source = swappableSource(compile([]).table);
      const origin = backend.origin;
      const services = ['bank', 'pay', 'ins', 'infra'].flatMap((ns) => [
        `${ns}/svc-a:8080`,
        `${ns}/svc-b:8080`,
      ]);
      app = flavour.create();
      // Registered before the plugin, so it runs first; the decision is read once answered.
      app.addHook('onRequest', (request, _reply, done) => {
        seen.set(String(request.headers[PROBE]), request);
        done();
      });
      app.setNotFoundHandler(async (_request, reply) => reply.code(404).send('the app'));
      await app.register(switchyard, {
        source,
        port: 80,
        resolver: staticResolver(Object.fromEntries(services.map((key) => [key, origin]))),
      });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      port = typeof address === 'object' && address !== null ? address.port : 0;
    });

    afterAll(async () => {
      agent.destroy();
      await app.close();
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
            const observed = seen.get(probe);
            seen.delete(probe);
            const expected = resolve(table, {
              method: generated.method,
              path: generated.path,
              host: generated.host,
              headers: generated.headers,
              port: 80,
              scheme: 'http',
            });
            if (observed === undefined) {
              // Fastify's router refused the URL before any hook; the core refuses it as well.
              if (flavour.badUrl === 'FST_ERR_BAD_URL') {
                expect(JSON.parse(outcome.body)).toMatchObject({ code: 'FST_ERR_BAD_URL' });
              } else {
                expect(outcome.body).toBe('the app');
              }
              expect(expected).toMatchObject({ kind: 'respond', status: 400 });
              kinds.set('refused by Fastify', (kinds.get('refused by Fastify') ?? 0) + 1);
              continue;
            }
            expect(observed.switchyard).toEqual(expected);
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
