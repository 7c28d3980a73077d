/**
 * Decision 17's "served as plain HTTP": Node decides that a request is an upgrade before any
 * handler sees it and hands the raw socket to the `upgrade` event. For a protocol that is not on
 * the allow-list, the request is written back in front of the socket's unread bytes without its
 * upgrade headers, and the socket is given back to the HTTP server that parsed it, which then
 * reads it (and anything pipelined after it) as ordinary requests.
 */
import * as http from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { BadUpgradeError } from './intake-errors.js';
import { writeRawError } from './upgrade.js';

type ConnectionListener = (this: unknown, socket: Duplex) => void;

// `http._connectionListener` is how `http2.createSecureServer({ allowHTTP1 })` hands HTTP/1
// connections to the HTTP/1 machinery; exported by Node 20 to 24.
const connectionListener = (http as unknown as { _connectionListener?: ConnectionListener })
  ._connectionListener;

/** The request's head without `Upgrade`, `HTTP2-Settings` and their `Connection` tokens. */
export function plainRequestHead(req: IncomingMessage): Buffer {
  let head = `${req.method} ${req.url} HTTP/${req.httpVersion}\r\n`;
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const lower = raw[i]!.toLowerCase();
    if (lower === 'upgrade' || lower === 'http2-settings') continue;
    let value = raw[i + 1]!;
    if (lower === 'connection') {
      value = value
        .split(',')
        .map((token) => token.trim())
        .filter((token) => !/^(?:upgrade|http2-settings)$/i.test(token))
        .join(', ');
      if (value === '') continue;
    }
    head += `${raw[i]}: ${value}\r\n`;
  }
  return Buffer.from(`${head}\r\n`, 'latin1');
}

/**
 * Gives `socket` back to its HTTP server with the request, minus its upgrade, in front of `head`.
 * False when this Node has no way to (the caller then answers by itself).
 */
export function replayAsPlainHttp(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
  const server = (socket as { server?: unknown }).server;
  if (connectionListener === undefined || server === undefined || server === null) return false;
  socket.unshift(
    head.length === 0 ? plainRequestHead(req) : Buffer.concat([plainRequestHead(req), head]),
  );
  connectionListener.call(server, socket);
  return true;
}

/** `replayAsPlainHttp`, or where this Node cannot, a 400 naming the protocol that is not allowed. */
export function serveAsPlainHttp(req: IncomingMessage, socket: Duplex, head: Buffer): void {
  if (replayAsPlainHttp(req, socket, head)) return;
  writeRawError(socket, new BadUpgradeError(`upgrade to ${req.headers.upgrade} is not allowed`));
}
