/**
 * The shared decision property (`@switchyard/test-kit`) for one Fastify major: the decision the
 * plugin puts on `request.switchyard` is `resolve(table, sameRequest)`, and the answer carries it
 * out.
 *
 * One exception, pinned here: a URL Fastify's router cannot decode (`%zz`) is answered before any
 * hook runs (Fastify 5: 400 `FST_ERR_BAD_URL`; Fastify 4: its not-found handler), so no decision
 * is made; the core answers such a URL 400.
 */
import { expect } from 'vitest';
import { compile } from '@switchyard/core';
import { staticResolver, swappableSource } from '@switchyard/node';
import type { FastifyRequest } from 'fastify';
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
    field: 'request.switchyard',
    isUnrouted,
    async start(backends) {
      const source = swappableSource(compile([]).table);
      // Each request, kept by its probe: the decision is read from it once answered.
      const seen = new Map<string, FastifyRequest>();
      const app = flavour.create();
      // Registered before the plugin, so it runs first.
      app.addHook('onRequest', (request, _reply, done) => {
        seen.set(String(request.headers[PROBE_HEADER]), request);
        done();
      });
      app.setNotFoundHandler(async (_request, reply) => reply.code(404).send(APP_NOT_FOUND));
      await app.register(switchyard, { source, port: 80, resolver: staticResolver(backends) });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      return {
        origin: `http://127.0.0.1:${port}`,
        swap: (table) => source.swap(table),
        takeDecision(probe) {
          const request = seen.get(probe);
          seen.delete(probe);
          return request?.switchyard;
        },
        close: () => app.close(),
      };
    },
    answeredByFramework(expected, answer) {
      // Fastify's router refused the URL before any hook; the core refuses it as well.
      if (flavour.badUrl === 'FST_ERR_BAD_URL') {
        expect(JSON.parse(answer.body)).toMatchObject({ code: 'FST_ERR_BAD_URL' });
      } else {
        expect(answer.body).toBe(APP_NOT_FOUND);
      }
      expect(expected).toMatchObject({ kind: 'respond', status: 400 });
      return 'refused by Fastify';
    },
  });
}
