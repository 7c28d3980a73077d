/** A plain HTTP/1.1 client over node:http, close to what curl sends (Host header as given). */
import { readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer, type Server } from 'node:net';
import { parse, stringify } from 'yaml';

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

export function send(
  url: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: options.method ?? 'GET', headers: options.headers ?? {}, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Parses `curl [-X METHOD] [-H 'Name: value']... URL` as `serve` prints it. */
export function parseCurl(line: string): {
  method: string;
  url: string;
  headers: Record<string, string>;
} {
  const words = [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!);
  if (words.shift() !== 'curl') throw new Error(`not a curl line: ${line}`);
  let method = 'GET';
  const headers: Record<string, string> = {};
  let url = '';
  while (words.length > 0) {
    const word = words.shift()!;
    if (word === '-X') method = words.shift()!;
    else if (word === '-H') {
      const header = words.shift()!;
      const colon = header.indexOf(':');
      headers[header.slice(0, colon).trim().toLowerCase()] = header.slice(colon + 1).trim();
    } else url = word;
  }
  return { method, url, headers };
}

/**
 * A copy of `backends.local.yaml` (same keys) pointing at free local ports, so that test files
 * running in parallel never fight over the example's fixed ports 9101-9107.
 */
export async function freeBackendsFile(
  source: string,
  target: string,
): Promise<Record<string, string>> {
  const original = (parse(readFileSync(source, 'utf8')) as { backends: Record<string, string> })
    .backends;
  const servers = await Promise.all(
    Object.keys(original).map(
      () =>
        new Promise<Server>((resolve) => {
          const server = createServer();
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  const backends = Object.fromEntries(
    Object.keys(original).map((key, i) => [key, `http://127.0.0.1:${ports[i]}`]),
  );
  writeFileSync(target, stringify({ backends }));
  return backends;
}
