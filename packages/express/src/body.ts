/**
 * Request bodies a body parser (`express.json()`, `express.urlencoded()`, `express.text()`,
 * `express.raw()`) read before Switchyard saw the request. The stream is spent, so the proxy gets
 * the bytes instead: the raw bytes when someone kept them (`keepRawBody`, or any middleware that
 * sets a Buffer `req.rawBody`), else the parsed value written back in its content type.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HeaderModifier } from '@switchyard/core';

/** What a body parser leaves on the request. */
interface ParsedRequest extends IncomingMessage {
  body?: unknown;
  rawBody?: unknown;
  /** body-parser 1.x marks requests it read. */
  _body?: boolean;
}

/** The body to send in place of the spent stream. */
export interface ReplayedBody {
  readonly bytes: Buffer | string;
  /** Set when the parser decoded a `Content-Encoding` (gzip...) the bytes no longer carry. */
  readonly decoded?: HeaderModifier;
}

/** The answer when the stream is spent and the body cannot be rebuilt. */
export class SpentBodyError extends Error {
  override readonly name = 'SpentBodyError';
  readonly status = 500;
  readonly expose = false;
}

const NO_ENCODING: HeaderModifier = { set: [], add: [], remove: ['content-encoding'] };

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return length !== '0';
  return req.headers['transfer-encoding'] !== undefined;
}

/**
 * Undefined when the request stream can still be streamed (nothing read it, or it has no body);
 * otherwise the bytes to send. Throws `SpentBodyError` when the stream is spent and neither the
 * raw bytes nor a parsed value of a known type are there.
 */
export function replayedBody(req: IncomingMessage): ReplayedBody | undefined {
  const parsed = req as ParsedRequest;
  if (!(req.readableEnded || parsed._body === true) || !hasBody(req)) return undefined;
  const encoding = req.headers['content-encoding'];
  const decoded = encoding !== undefined && encoding !== 'identity' ? NO_ENCODING : undefined;
  const bytes = bytesOf(parsed);
  if (bytes === undefined) {
    throw new SpentBodyError(
      'the request body was read by a body parser and cannot be rebuilt; mount Switchyard before ' +
        'the parser, or keep the raw bytes with `keepRawBody`',
    );
  }
  return decoded === undefined ? { bytes } : { bytes, decoded };
}

function bytesOf(req: ParsedRequest): Buffer | string | undefined {
  if (Buffer.isBuffer(req.rawBody) || typeof req.rawBody === 'string') return req.rawBody;
  const body = req.body;
  // express.raw() and express.text(): the bytes, or the text, as they came.
  if (Buffer.isBuffer(body) || typeof body === 'string') return body;
  if (typeof body !== 'object' || body === null) return undefined;
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (/[/+]json\b/.test(type)) return JSON.stringify(body);
  if (type.startsWith('application/x-www-form-urlencoded')) return formEncode(body);
  return undefined;
}

/** `a=1&b=2&b=3`, with qs-style brackets for nested values (`express.urlencoded({ extended: true })`). */
function formEncode(body: object): string {
  const pairs: string[] = [];
  const walk = (prefix: string, value: unknown): void => {
    if (Array.isArray(value)) {
      // Flat arrays come from repeated keys (`b=2&b=3`); write them back that way.
      const flat = value.every((item) => typeof item !== 'object' || item === null);
      value.forEach((item, index) => walk(flat ? prefix : `${prefix}[${index}]`, item));
    } else if (typeof value === 'object' && value !== null) {
      for (const key of Object.keys(value)) {
        walk(prefix === '' ? key : `${prefix}[${key}]`, (value as Record<string, unknown>)[key]);
      }
    } else {
      pairs.push(
        `${encode(prefix)}=${encode(value === undefined || value === null ? '' : String(value))}`,
      );
    }
  };
  walk('', body);
  return pairs.join('&');
}

function encode(text: string): string {
  return encodeURIComponent(text).replace(/%20/g, '+');
}

/**
 * A body-parser `verify` callback that keeps the raw bytes on `req.rawBody`, so that a request a
 * parser read is forwarded byte for byte (whitespace, key order and number spelling included).
 *
 * @example
 * ```ts
 * app.use(express.json({ verify: keepRawBody }));
 * app.use(switchyard({ source, resolver }));
 * ```
 */
export function keepRawBody(req: IncomingMessage, _res: ServerResponse, buffer: Buffer): void {
  (req as ParsedRequest).rawBody = buffer;
}
