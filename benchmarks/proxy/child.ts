/**
 * The child-process side of a candidate: listen on a free port of 127.0.0.1 and tell the parent
 * which one. The backend origin arrives in `BENCH_BACKEND`.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export function backendOrigin(): string {
  const origin = process.env['BENCH_BACKEND'];
  if (!origin) throw new Error('BENCH_BACKEND is not set');
  return origin;
}

export function serve(server: Server): void {
  server.keepAliveTimeout = 65_000;
  server.listen(0, '127.0.0.1', () => {
    process.send?.({ port: (server.address() as AddressInfo).port });
  });
  process.on('disconnect', () => process.exit(0));
  // A clean exit on SIGINT lets `--cpu-prof` write its profile.
  process.on('SIGINT', () => process.exit(0));
}
