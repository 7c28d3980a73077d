// The raw-socket attack suite's cases that concern request intake (test-kit's `intakeAttacks`),
// run through the Fastify plugin (Fastify 5 and 4, `websocket: true`). Same answers, same codes,
// same backend receipts as the Node gateway (packages/node/test/attacks), parser-level answers
// included (400 from the parser, 431, 417, CONNECT, a missing Host, a pipelined error): the plugin
// puts `guardServer` on `fastify.server` in place of Fastify's own `clientError` handler.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '@switchyard/core';
import { staticResolver } from '@switchyard/node';
import { intakeAttackObjects, intakeAttacks, rawExchange } from '@switchyard/test-kit';
import { switchyard } from '../src/index.js';
import { flavours } from './support/flavours.js';

function listeningPort(app: FastifyInstance): number {
  const address = app.server.address();
  return typeof address === 'object' && address !== null ? address.port : 0;
}

for (const flavour of flavours) {
  intakeAttacks({
    title: `${flavour.name}: attacks through the plugin`,
    pseudonym: 'sy-fastify',
    // Above Node's default maxHeaderSize (16 KiB), which Fastify keeps.
    oversizedHeaderBytes: 20_000,
    extraCases: [
      {
        name: 'a NUL inside a header value answers 400',
        send: 'GET /echo HTTP/1.1\r\nHost: api.example.com\r\nX-A: a\u0000b\r\n\r\n',
        statuses: [400],
        codes: ['SWY_BAD_REQUEST'],
        backend: 'nothing',
      },
    ],
    async start(options, backends) {
      const app = flavour.create();
      await app.register(switchyard, {
        ...options,
        resolver: staticResolver(backends),
        websocket: true,
      });
      await app.listen({ port: 0, host: '127.0.0.1' });
      return { port: listeningPort(app), close: () => app.close() };
    },
  });
}

describe.each(flavours)('$name: guardServer: false', (flavour) => {
  let app: FastifyInstance;
  let port: number;

  beforeAll(async () => {
    app = flavour.create();
    await app.register(switchyard, {
      source: compile(intakeAttackObjects()).table,
      resolver: staticResolver({}),
      logger: false,
      guardServer: false,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = listeningPort(app);
  });

  afterAll(async () => {
    await app.close();
  });

  it("decision 18: opting out leaves Fastify's own clientError answer (no code)", async () => {
    const outcome = await rawExchange(port, 'HELLO\r\n\r\n', { responses: 1 });
    expect(outcome.responses.map((r) => r.status)).toEqual([400]);
    expect(outcome.responses[0]!.headers['x-switchyard-error']).toBeUndefined();
  });
});
