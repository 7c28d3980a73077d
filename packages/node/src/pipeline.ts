/**
 * Answers on one HTTP/1.1 connection stay in request order (decision 18). Node queues the
 * responses of pipelined requests itself, but an answer written straight to the socket (a parse
 * error, CONNECT, a declined or tunnelled upgrade) would overtake, or land inside, an answer
 * still in flight. So the responses of each connection are counted, and such raw writes wait
 * until the connection has none left.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

interface Pending {
  count: number;
  waiters: (() => void)[];
  /** The latest request read on the connection, and its response. */
  latest: IncomingMessage | undefined;
  latestResponse: ServerResponse | undefined;
}

const pending = new WeakMap<object, Pending>();

/** Counts every response of `server` per connection until it finishes or its connection closes. */
export function trackResponses(server: Pick<Server, 'prependListener'>): void {
  server.prependListener('request', trackResponse);
}

/** Counts one response of its connection (for answers Node does not emit as `request`). */
export function trackResponse(req: IncomingMessage, res: ServerResponse): void {
  {
    const socket = req.socket as Duplex | undefined;
    if (socket === undefined || req.httpVersionMajor === 2) return;
    let entry = pending.get(socket);
    if (entry === undefined) {
      entry = { count: 0, waiters: [], latest: undefined, latestResponse: undefined };
      pending.set(socket, entry);
    }
    entry.count += 1;
    entry.latest = req;
    entry.latestResponse = res;
    let done = false;
    const settle = (): void => {
      if (done) return;
      done = true;
      entry.count -= 1;
      if (entry.count === 0 && entry.waiters.length > 0) {
        const waiters = entry.waiters;
        entry.waiters = [];
        for (const waiter of waiters) waiter();
      }
    };
    res.once('finish', settle).once('close', settle);
  }
}

/**
 * Whether the body of the latest request on `socket` is still arriving: `no`; `answered` (its
 * response is complete, e.g. a refusal that did not wait for the body); or `unanswered`.
 */
export function receiving(socket: Duplex): 'no' | 'answered' | 'unanswered' {
  const entry = pending.get(socket);
  if (entry?.latest === undefined || entry.latest.complete) return 'no';
  return entry.latestResponse?.writableEnded === true ? 'answered' : 'unanswered';
}

/** Runs `action` once every answer already due on `socket` has been written (at once if none). */
export function whenIdle(socket: Duplex, action: () => void): void {
  const entry = pending.get(socket);
  if (entry === undefined || entry.count === 0) {
    action();
    return;
  }
  entry.waiters.push(action);
}
