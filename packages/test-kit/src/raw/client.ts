/**
 * A raw HTTP/1.1 client for the attack suite: writes exactly the bytes a test gives (in pieces,
 * with pauses, to play slow or pipelining clients) and parses what comes back into responses, so
 * a test sees answers in the order and framing the gateway wrote them.
 */
import { connect } from 'node:net';
import { connect as connectTls } from 'node:tls';

export interface RawResponse {
  readonly status: number;
  /** Lower-case names, every value. */
  readonly headers: Readonly<Record<string, readonly string[]>>;
  readonly body: string;
}

export interface RawOutcome {
  readonly responses: readonly RawResponse[];
  /** True when the gateway closed the connection. */
  readonly closed: boolean;
  /** Bytes after the last complete response (a tunnel's data, or a truncated answer). */
  readonly rest: string;
}

export interface RawOptions {
  /** Stop once this many final (non-1xx) responses, or a 101, have arrived; default: wait for close. */
  readonly responses?: number;
  /** Give up waiting after this long; default 3000 ms. */
  readonly timeoutMs?: number;
  /** Pause between pieces; default 0. */
  readonly gapMs?: number;
  /** Ignore `responses`: collect until the gateway closes (or the timeout). */
  readonly waitForClose?: boolean;
  /** Speak TLS (HTTP/1.1, no ALPN) with this server name. */
  readonly tls?: string;
  /** Written after a 101 arrives (through the tunnel). */
  readonly afterSwitch?: string;
}

/** Parses consecutive responses; stops at a 101 (what follows is the tunnel) or an incomplete one. */
export function parseResponses(text: string): { responses: RawResponse[]; rest: string } {
  const responses: RawResponse[] = [];
  let at = 0;
  for (;;) {
    const end = text.indexOf('\r\n\r\n', at);
    if (end === -1) break;
    const lines = text.slice(at, end).split('\r\n');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1] ?? 0);
    const headers: Record<string, string[]> = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      (headers[line.slice(0, colon).trim().toLowerCase()] ??= []).push(
        line.slice(colon + 1).trim(),
      );
    }
    let bodyStart = end + 4;
    let body = '';
    if (status >= 200 && status !== 204 && status !== 304) {
      const length = headers['content-length']?.[0];
      if (length !== undefined) {
        if (text.length < bodyStart + Number(length)) break;
        body = text.slice(bodyStart, bodyStart + Number(length));
        bodyStart += Number(length);
      } else if (headers['transfer-encoding']?.[0] === 'chunked') {
        let cursor = bodyStart;
        let done = false;
        for (;;) {
          const lineEnd = text.indexOf('\r\n', cursor);
          if (lineEnd === -1) break;
          const size = parseInt(text.slice(cursor, lineEnd), 16);
          if (size === 0) {
            if (text.length < lineEnd + 4) break;
            cursor = lineEnd + 4;
            done = true;
            break;
          }
          if (text.length < lineEnd + 2 + size + 2) break;
          body += text.slice(lineEnd + 2, lineEnd + 2 + size);
          cursor = lineEnd + 2 + size + 2;
        }
        if (!done) break;
        bodyStart = cursor;
      } else {
        body = text.slice(bodyStart);
        bodyStart = text.length;
      }
    }
    responses.push({ status, headers, body });
    at = bodyStart;
    if (status === 101) break;
  }
  return { responses, rest: text.slice(at) };
}

/** Sends `pieces` to `port` and collects the answers. */
export function rawExchange(
  port: number,
  pieces: string | readonly (string | Buffer)[],
  options: RawOptions = {},
): Promise<RawOutcome> {
  const list = typeof pieces === 'string' ? [pieces] : pieces;
  return new Promise((resolve) => {
    const socket =
      options.tls === undefined
        ? connect(port, '127.0.0.1')
        : connectTls({
            port,
            host: '127.0.0.1',
            servername: options.tls,
            rejectUnauthorized: false,
          });
    let received = '';
    let closed = false;
    let switched = false;
    let settled = false;
    const finish = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const { responses, rest } = parseResponses(received);
      resolve({ responses, closed, rest });
    };
    const timer = setTimeout(finish, options.timeoutMs ?? 3000);
    const enough = (): boolean => {
      if (options.responses === undefined || options.waitForClose === true) return false;
      const { responses, rest } = parseResponses(received);
      const finals = responses.filter((r) => r.status >= 200 || r.status === 101);
      if (finals.at(-1)?.status === 101) {
        if (options.afterSwitch !== undefined && !switched) {
          switched = true;
          socket.write(options.afterSwitch);
          return false;
        }
        if (options.afterSwitch !== undefined && rest.length < options.afterSwitch.length)
          return false;
      }
      return finals.length >= options.responses;
    };
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (enough()) finish();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closed = true;
      finish();
    });
    socket.on(options.tls === undefined ? 'connect' : 'secureConnect', () => {
      void (async () => {
        for (const piece of list) {
          if (socket.destroyed) return;
          socket.write(piece);
          if ((options.gapMs ?? 0) > 0) await new Promise((r) => setTimeout(r, options.gapMs));
        }
      })();
    });
  });
}
