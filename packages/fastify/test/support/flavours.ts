/**
 * Fastify 4 and 5 side by side: every test runs against both majors. Fastify 4 has its own types;
 * the plugin is typed against Fastify 5, so the v4 instance is handed over as the v5 type (the
 * runtime API the plugin uses is the same in both).
 */
import Fastify5 from 'fastify';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import Fastify4 from 'fastify4';
import { h2cServerFactory } from './h2c.js';

export interface Flavour {
  readonly name: string;
  /**
   * How Fastify answers a URL its router cannot decode (`/%zz`), before any hook runs: Fastify 5
   * with 400 `FST_ERR_BAD_URL`, Fastify 4 through its not-found handler.
   */
  readonly badUrl: 'FST_ERR_BAD_URL' | 'not-found handler';
  /** A Fastify instance (HTTP/1.1, or HTTPS with HTTP/2 by ALPN when `tls` is given). */
  create(options?: {
    tls?: { cert: string; key: string };
    /** Cleartext HTTP/2 (prior knowledge) next to HTTP/1.1. */
    h2c?: boolean;
    logger?: FastifyServerOptions['logger'];
  }): FastifyInstance;
}

type AnyFactory = (options: Record<string, unknown>) => unknown;

function flavour(name: string, badUrl: Flavour['badUrl'], factory: AnyFactory): Flavour {
  return {
    name,
    badUrl,
    create: (options = {}) => {
      const settings: Record<string, unknown> = { logger: options.logger ?? false };
      if (options.tls !== undefined) {
        settings['http2'] = true;
        settings['https'] = { allowHTTP1: true, ...options.tls };
      } else if (options.h2c === true) {
        settings['serverFactory'] = h2cServerFactory;
      }
      return factory(settings) as FastifyInstance;
    },
  };
}

export const FASTIFY_5 = flavour('fastify 5', 'FST_ERR_BAD_URL', Fastify5 as unknown as AnyFactory);
export const FASTIFY_4 = flavour(
  'fastify 4',
  'not-found handler',
  Fastify4 as unknown as AnyFactory,
);
export const flavours: readonly Flavour[] = [FASTIFY_5, FASTIFY_4];
