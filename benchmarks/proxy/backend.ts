// The echo backend of @switchyard/test-kit, alone in its process, keeping no records.
import { startEchoBackend } from '../../packages/test-kit/src/echo/server.js';
import { NAMESPACE, PORT, SERVICE } from './routes.js';

const echo = await startEchoBackend({
  identity: { group: '', kind: 'Service', namespace: NAMESPACE, name: SERVICE, port: PORT },
  maxRecords: 0,
});
process.send?.({ port: echo.port });
process.on('disconnect', () => process.exit(0));
