/**
 * The answers Node's HTTP/1 parser would otherwise write by itself, or not at all (decision 18):
 * malformed requests (400), oversized header blocks (431), headers too slow to arrive (408),
 * `Expect` other than `100-continue` (417) and `CONNECT` (501). Each carries its
 * `x-switchyard-error` code, and none overtakes an answer still in flight on its connection.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { BadRequestError, HeadersTooLargeError } from './errors.js';
import type { SwitchyardError } from './errors.js';
import {
  ClientTimeoutError,
  ExpectationFailedError,
  MethodNotSupportedError,
} from './intake-errors.js';
import { receiving, trackResponse, trackResponses, whenIdle } from './pipeline.js';
import { sendError } from './respond.js';
import { writeRawError } from './upgrade.js';

const answered = new WeakSet<Duplex>();

/** The gateway error for a Node parser error. */
export function parserError(error: Error & { code?: string }): SwitchyardError {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return new HeadersTooLargeError();
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new ClientTimeoutError();
    default:
      // llhttp's codes (HPE_INVALID_HEADER_TOKEN...) say what was wrong without echoing input.
      return new BadRequestError(
        error.code?.startsWith('HPE_') === true
          ? `bad request (${error.code.slice(4).toLowerCase()})`
          : 'bad request',
      );
  }
}

/**
 * For `server.on('clientError', handleClientError)`: answers a request Node could not parse
 * with its code once the answers before it are written, then closes the connection.
 */
export function handleClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (socket.destroyed || !socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  // The parser reports the same error again for every later chunk: answer once, read no more.
  if (answered.has(socket)) return;
  // Broken inside a request body (the client stopped mid-body, bad chunk framing): that request
  // cannot be answered on this connection, and an answer written now would land inside it.
  const state = receiving(socket);
  if (state !== 'no') {
    // Already answered (a refusal that did not wait for the body): let that answer flush.
    if (state === 'answered') socket.end();
    else socket.destroy();
    return;
  }
  answered.add(socket);
  socket.pause();
  const failure = parserError(error);
  whenIdle(socket, () => {
    writeRawError(socket, failure);
    socket.once('finish', () => drainThenClose(socket));
  });
}

/** How long a refused connection may stay open after its answer was written. */
const LINGER_MS = 1000;

/**
 * After the answer: read and discard whatever the client still sends, so its close is seen and
 * the socket ends (HTTP servers allow half-open sockets: a paused one would stay open, and
 * `server.close()` in Fastify or an app would wait for it forever). Closing at once instead could
 * reset the connection while unread bytes remain, and the client would lose the answer. A client
 * that never closes is cut after `LINGER_MS`.
 */
function drainThenClose(socket: Duplex): void {
  if (socket.destroyed) return;
  socket.resume();
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}

/** For `server.on('connect', handleConnect)`: the gateway is not a forward proxy (501). */
export function handleConnect(_req: IncomingMessage, socket: Duplex): void {
  socket.on('error', () => undefined);
  whenIdle(socket, () =>
    writeRawError(socket, new MethodNotSupportedError('CONNECT is not supported')),
  );
}

/** For `server.on('checkExpectation', ...)`: an `Expect` other than `100-continue` (417). */
export function handleCheckExpectation(req: IncomingMessage, res: ServerResponse): void {
  trackResponse(req, res);
  sendError(
    res,
    new ExpectationFailedError(`unsupported Expect: ${String(req.headers.expect).slice(0, 64)}`),
  );
}

/**
 * Installs the answers above on a Node HTTP/1 server (or an `allowHTTP1` HTTP/2 server) and
 * keeps raw answers in order behind pipelined ones. `createGateway` does this for its servers;
 * call it on your own server next to `createRequestListener`.
 *
 * @example
 * ```ts
 * const server = guardServer(http.createServer(listener)).on('upgrade', listener.upgrade);
 * ```
 */
export function guardServer<T extends Pick<Server, 'on' | 'prependListener'>>(server: T): T {
  trackResponses(server);
  // Node answers a missing Host itself, without a code; intake answers it (SWY_BAD_HOST).
  (server as { requireHostHeader?: boolean }).requireHostHeader = false;
  const events = server as unknown as NodeJS.EventEmitter;
  events.on('clientError', handleClientError);
  events.on('connect', handleConnect);
  events.on('checkExpectation', handleCheckExpectation);
  return server;
}
