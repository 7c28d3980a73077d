/**
 * Runs the example until Ctrl-C: the API server, the echo backends, and the Gateway's listener on
 * port 8080 (`PORT`). Prints the API server's address (for kubectl) and requests to try.
 *
 *   npx --yes pnpm@10 --filter @switchyard/example-kubernetes start
 */
import { defaultLogger } from '@switchyard/node';
import { startExample } from './example.js';

const port = Number(process.env['PORT'] ?? 8080);
const example = await startExample({
  port,
  logger: defaultLogger(),
  onEvent: (event) => {
    if (event.type === 'table')
      console.log(`table: ${event.routes} routes, ${event.diagnostics} diagnostics`);
  },
}).catch((error: unknown) => {
  const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
  console.error(
    inUse
      ? `port ${port} is in use: run with PORT=<another port>`
      : `cannot start the example: ${String(error)}`,
  );
  process.exit(1);
});

const host = "-H 'Host: api.example.com'";
console.log(`
API server: ${example.api.url} (no authentication; for example
  curl ${example.api.url}/apis/gateway.networking.k8s.io/v1/namespaces/banking/httproutes/accounts)
Gateway kgateway-system/http, listener 8080, served on ${example.url}

curl ${host} ${example.url}/banking/accounts/42
curl ${host} '${example.url}/banking/cards?limit=5'
curl ${host} -X POST ${example.url}/payments/charge
curl ${host} ${example.url}/payments/providers/acme/status
curl ${host} '${example.url}/insurance/quotes?product=home'
curl ${host} -H 'x-api-version: 2' ${example.url}/insurance/claims/7
curl ${host} ${example.url}/banking/loans        # 404: inside /banking, no banking route
`);

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    void example.close().then(() => process.exit(0));
  });
