// Decision 20: a duration beyond the timer range (2^31-1 ms) is the longest timer, never an
// immediate timeout. Before the clamp, `timeouts.request: 99999h` failed every request at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticResolver } from '../src/index.js';
import { MAX_TIMER_MS, clampDelay } from '../src/timers.js';
import { objectsFor, startBackend, startGateway, tableFor } from './support/fixtures.js';
import type { Backend, RunningGateway } from './support/fixtures.js';
import { send } from './support/client.js';

describe('decision 20: durations beyond the timer range', () => {
  let backend: Backend;
  let gw: RunningGateway;

  beforeAll(async () => {
    // Answers after 100 ms: long enough that a timer overflowing to 1 ms would fire first.
    backend = await startBackend((_req, res) => setTimeout(() => res.end('slow ok'), 100));
    const huge = { request: '99999h', backendRequest: '99999h' };
    gw = await startGateway({
      source: tableFor(
        objectsFor([
          { path: '/huge', service: 'slow', extra: { timeouts: huge } },
          {
            path: '/huge-retry',
            service: 'slow',
            extra: { timeouts: huge, retry: { attempts: 1, backoff: '99999h', codes: [503] } },
          },
        ]),
      ),
      resolver: staticResolver({ 'infra/slow:8080': backend.origin }),
      timeouts: { requestMs: 99_999 * 3_600_000, backendRequestMs: 99_999 * 3_600_000 },
      pool: { headersTimeoutMs: 99_999 * 3_600_000, bodyTimeoutMs: 99_999 * 3_600_000 },
      shutdownGraceMs: 99_999 * 3_600_000,
    });
  });
  afterAll(async () => {
    await gw.close();
    await backend.close();
  });

  it('decision 20: timeouts.request and backendRequest of 99999h do not fire at once', async () => {
    const answer = await send(`${gw.url()}/huge`);
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('slow ok');
  });

  it('decision 20: a route with a retry policy and 99999h timeouts still answers', async () => {
    const answer = await send(`${gw.url()}/huge-retry`);
    expect(answer.status).toBe(200);
  });

  it('decision 20: clampDelay keeps every delay inside the timer range', () => {
    expect(clampDelay(99_999 * 3_600_000)).toBe(MAX_TIMER_MS);
    expect(clampDelay(Number.POSITIVE_INFINITY)).toBe(MAX_TIMER_MS);
    expect(clampDelay(Number.NaN)).toBe(0);
    expect(clampDelay(-5)).toBe(0);
    expect(clampDelay(250)).toBe(250);
  });
});
