/**
 * The payments team's BFF, served in-process: the plugin hands it the requests the payments route
 * sends to `payments/payments-bff:8080`, instead of proxying them to a Service. It sees them as
 * the Service would (`request.url` is the upstream path), with the body parsed by Fastify.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SwitchyardHandler } from '@switchyard/fastify';

const REFUND = /^\/payments\/refund\/([^/?]+)/;

export const paymentsHandler: SwitchyardHandler = async (
  request: FastifyRequest,
  reply: FastifyReply,
) => {
  const path = request.url.split('?')[0];
  if (request.method === 'POST' && path === '/payments/charge') {
    const { amount, currency } = (request.body ?? {}) as { amount?: number; currency?: string };
    return reply
      .code(201)
      .send({ served: 'payments-bff (in-process)', charged: { amount, currency } });
  }
  const refund = request.method === 'POST' ? REFUND.exec(request.url) : null;
  if (refund !== null) return { served: 'payments-bff (in-process)', refunded: refund[1] };
  return reply.code(404).send({ error: 'not found', path: request.url });
};
