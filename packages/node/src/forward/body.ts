/**
 * Request bodies. A small body is read into memory before a backend connection is taken (a slow
 * client then never holds one, and a retry can replay it); a larger one is streamed with
 * backpressure end to end; copies go to mirrors without letting a slow mirror hold the primary
 * back.
 */
import { PassThrough } from 'node:stream';
import type { Readable } from 'node:stream';
import type { Http2ServerRequest } from 'node:http2';
import type { ProxyRequest } from '../respond.js';

/** True when the request carries a body (content-length > 0, chunked, or an HTTP/2 DATA stream). */
export function hasRequestBody(req: ProxyRequest): boolean {
  if (req.httpVersionMajor === 2) return !(req as Http2ServerRequest).stream.endAfterHeaders;
  const length = req.headers['content-length'];
  if (length !== undefined) return length !== '0';
  return req.headers['transfer-encoding'] !== undefined;
}

/**
 * The bytes all requests together may hold in memory while their bodies are read before
 * connecting (`body.bufferTotalBytes`): many slow clients cannot make the gateway buffer without
 * limit; past the budget, bodies are streamed instead.
 */
export class ByteBudget {
  private used = 0;

  constructor(private readonly total: number) {}

  /** Takes `bytes` from the budget; false (nothing taken) when they are not left. */
  reserve(bytes: number): boolean {
    if (this.used + bytes > this.total) return false;
    this.used += bytes;
    return true;
  }

  free(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }
}

/**
 * Reads the body into memory while it fits in `limit` bytes, before any backend connection is
 * taken: a client trickling its body then holds only its own socket, never one of the backend's
 * pooled connections (rule 28). Resolves with the whole body, or, once it outgrows `limit`, with
 * `req` itself, paused, the bytes read so far put back in front (`unshift`) for streaming.
 * Rejects when the client aborts. The stream must be paused when called.
 */
export function gatherBody(req: Readable, limit: number): Promise<Buffer | Readable> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      chunks.push(chunk);
      if (size <= limit) return;
      req.pause();
      cleanup();
      req.unshift(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
      resolve(req);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onFail = (): void => {
      cleanup();
      reject(new Error('client aborted the request body'));
    };
    const onClose = (): void => {
      if (!req.readableEnded) onFail();
    };
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onFail);
      req.off('close', onClose);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onFail);
    req.on('close', onClose);
    req.resume();
  });
}

/**
 * Splits a streamed body: the primary copy keeps the client's backpressure; each mirror copy is
 * written without waiting, and is destroyed (the mirror request fails, silently) once it lags
 * more than `maxBacklog` bytes behind.
 */
export function teeBody(
  req: Readable,
  mirrors: number,
  maxBacklog: number,
): { primary: Readable; copies: PassThrough[] } {
  const primary = new PassThrough();
  const copies: PassThrough[] = [];
  for (let i = 0; i < mirrors; i++) {
    const copy = new PassThrough();
    copy.on('error', noop);
    copies.push(copy);
  }
  req.on('data', (chunk: Buffer) => {
    for (const copy of copies) {
      if (copy.destroyed) continue;
      if (copy.writableLength > maxBacklog) copy.destroy();
      else copy.write(chunk);
    }
  });
  req.on('end', () => {
    for (const copy of copies) if (!copy.destroyed) copy.end();
  });
  req.on('close', () => {
    if (req.readableEnded) return;
    primary.destroy(new Error('client aborted the request body'));
    for (const copy of copies) copy.destroy();
  });
  req.on('error', (error) => primary.destroy(error));
  req.pipe(primary);
  return { primary, copies };
}

/** For `error` events nobody needs to act on. */
export function noop(): void {}
