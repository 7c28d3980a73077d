/**
 * The payments team's BFF, served in-process: the app hands it the requests the payments route
 * sends to `payments/payments-bff:8080`, instead of proxying them to a Service. It sees them as
 * the Service would: `req.url` is the upstream path, the body already parsed by the app.
 */
import { Router } from 'express';
import type { Request, Response } from 'express';

export function paymentsRouter(): Router {
  const router = Router();
  router.post('/payments/charge', (req: Request, res: Response) => {
    const { amount, currency } = (req.body ?? {}) as { amount?: number; currency?: string };
    res.status(201).json({ served: 'payments-bff (in-process)', charged: { amount, currency } });
  });
  router.post('/payments/refund/:order', (req: Request, res: Response) => {
    res.json({ served: 'payments-bff (in-process)', refunded: req.params['order'] });
  });
  return router;
}
