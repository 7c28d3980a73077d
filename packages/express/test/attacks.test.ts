// The raw-socket attack suite's cases that concern request intake (test-kit's `intakeAttacks`),
// run through the Express middleware (Express 5 and 4) on a server set up as the docs say:
// `guardServer` for parser-level answers, `middleware.upgrade` for upgrades. Same answers, same
// codes, same backend receipts as the Node gateway (packages/node/test/attacks).
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { guardServer, staticResolver } from '@switchyard/node';
import { intakeAttacks } from '@switchyard/test-kit';
import { switchyard } from '../src/index.js';
import { flavours } from './support/flavours.js';

for (const flavour of flavours) {
  intakeAttacks({
    title: `${flavour.name}: attacks through the middleware`,
    pseudonym: 'sy-express',
    // The server below is created with maxHeaderSize 8192.
    oversizedHeaderBytes: 9000,
    async start(options, backends) {
      const middleware = switchyard({ ...options, resolver: staticResolver(backends) });
      const app = flavour.express();
      app.use(middleware);
      const server = guardServer(createServer({ maxHeaderSize: 8192 }, app));
      server.on('upgrade', middleware.upgrade);
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      return {
        port: (server.address() as AddressInfo).port,
        async close() {
          server.closeAllConnections();
          await new Promise<void>((done) => server.close(() => done()));
          await middleware.close();
        },
      };
    },
  });
}
