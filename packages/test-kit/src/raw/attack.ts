/**
 * Attack cases as data for raw-socket suites: the bytes a client writes, the answers expected in
 * order with their `x-switchyard-error` codes, and what the recording backends must have received
 * (nothing at all, for a refused request). `runAttack` sends one case and asserts all three.
 */
import { expect } from 'vitest';
import type { RawBackend, RawReceived } from './backend.js';
import { rawExchange } from './client.js';
import type { RawOptions, RawOutcome } from './client.js';

/** What a case runs against: the recording backends behind the server under test. */
export interface AttackWorld {
  readonly backends: readonly RawBackend[];
}

/** One attack: bytes in, answers and backend receipts out. */
export interface AttackCase<W extends AttackWorld = AttackWorld> {
  readonly name: string;
  /** The bytes (or pieces) the client writes. */
  readonly send: string | readonly (string | Buffer)[];
  /** Statuses of the final answers, in order; `[]` for a connection cut without an answer. */
  readonly statuses: readonly number[];
  /** `x-switchyard-error` of each answer in order (`null` for a backend's answer). */
  readonly codes: readonly (string | null)[];
  /** What the backends must have received: nothing at all, or a check of their records. */
  readonly backend: 'nothing' | ((world: W, outcome: RawOutcome) => void);
  readonly options?: RawOptions;
  /** Send to the server with forging header modifiers instead (worlds that have one). */
  readonly forging?: boolean;
  /** Send over TLS (worlds that have an HTTPS listener). */
  readonly tls?: boolean;
}

/** Sends `c` to `port` and asserts answers, codes and backend receipts. */
export async function runAttack<W extends AttackWorld>(
  world: W,
  c: AttackCase<W>,
  port: number,
  extra: RawOptions = {},
): Promise<RawOutcome> {
  for (const backend of world.backends) backend.clear();
  const outcome = await rawExchange(port, c.send, {
    ...(c.statuses.length === 0 ? {} : { responses: c.statuses.length }),
    ...extra,
    ...c.options,
  });
  const finals = outcome.responses.filter((r) => r.status >= 200 || r.status === 101);
  expect(
    finals.map((r) => r.status),
    'statuses in order',
  ).toEqual(c.statuses);
  expect(
    finals.map((r) => r.headers['x-switchyard-error']?.[0] ?? null),
    'x-switchyard-error codes in order',
  ).toEqual(c.codes);
  if (c.backend === 'nothing') {
    for (const backend of world.backends) {
      expect(backend.requests, `${backend.name} received nothing`).toEqual([]);
      expect(backend.bytes(), `no byte reached ${backend.name}`).toBe('');
    }
  } else {
    c.backend(world, outcome);
  }
  return outcome;
}

/** `GET <target>` with the given extra header lines (CRLF added), as one request. */
export function rawGet(target: string, ...headers: string[]): string {
  return `GET ${target} HTTP/1.1\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n`;
}

/** The only request a backend received (asserting there is exactly one). */
export function onlyRequest(backend: RawBackend): RawReceived {
  expect(backend.requests, `${backend.name} received one request`).toHaveLength(1);
  return backend.requests[0]!;
}
