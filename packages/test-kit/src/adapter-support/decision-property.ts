/**
 * The decision property every framework adapter must hold: whatever the world and the request,
 * the decision the adapter records for a request is `resolve(table, sameRequest)`, and the answer
 * carries it out (the app's own 404 for unrouted requests, the engine's status for the others, a
 * backend for forwards). Real sockets; one app whose table is swapped for every generated world.
 * Each adapter supplies only how to start its app and where it keeps the decision.
 */
import { Agent } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile, resolve } from '@switchyard/core';
import type { Decision, ResolveRequest, RouteTable } from '@switchyard/core';
import { propertyParameters, requestArb, worldArb } from './arbitraries.js';
import type { GeneratedRequest } from './arbitraries.js';
import { startCaptureBackend } from './backend.js';
import type { CaptureBackend } from './backend.js';
import { send } from './client.js';
import { PROBE_HEADER } from '../http-target/target.js';
import type { Answer } from './client.js';

/** The body of the app's own 404, which unrouted requests must reach. */
export const APP_NOT_FOUND = 'the app';

/**
 * An app under test: the adapter mounted, then a 404 handler answering {@link APP_NOT_FOUND}. It
 * keeps each request by its `PROBE_HEADER` (test-kit's probe header) to hand back its decision.
 */
export interface DecisionApp {
  readonly origin: string;
  /** Replaces the table the adapter routes by. */
  swap(table: RouteTable): void;
  /**
   * The decision the adapter recorded for the request tagged `probe` (and forgets it); undefined
   * when the framework answered before the adapter ran, null when the adapter ran but recorded
   * none (which fails the property).
   */
  takeDecision(probe: string): Decision | null | undefined;
  close(): Promise<void>;
}

export interface DecisionPropertySpec {
  /** For titles and the seed line, e.g. `express 5`. */
  readonly name: string;
  /** Where the adapter puts the decision, for the title, e.g. `req.switchyard`. */
  readonly field: string;
  /** Starts the app with a static resolver sending each `namespace/name:port` to its origin. */
  start(backends: Readonly<Record<string, string>>): Promise<DecisionApp>;
  /**
   * The adapter's `isUnrouted`: the decisions it leaves to the app (a 404 outside every
   * delegated prefix).
   */
  isUnrouted(decision: Decision, table: RouteTable, request: ResolveRequest): boolean;
  /**
   * When the framework answered before the adapter ran: checks that answer against what the core
   * decided and returns the label to count it under. Without it, such a request fails.
   */
  answeredByFramework?(expected: Decision, answer: Answer): string;
}

/** Every service the generated worlds reference, all sent to one capturing backend. */
const SERVICES = ['bank', 'pay', 'ins', 'infra'].flatMap((ns) => [
  `${ns}/svc-a:8080`,
  `${ns}/svc-b:8080`,
]);

/** Registers the property as a `describe` block for one adapter and framework major. */
export function decisionProperty(spec: DecisionPropertySpec): void {
  describe(`${spec.name}: the decision on ${spec.field}`, () => {
    let backend: CaptureBackend;
    let app: DecisionApp;
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    let probes = 0;

    beforeAll(async () => {
      backend = await startCaptureBackend('any');
      app = await spec.start(Object.fromEntries(SERVICES.map((key) => [key, backend.origin])));
    });

    afterAll(async () => {
      agent.destroy();
      await app.close();
      await backend.close();
    });

    function expectCarriedOut(decision: Decision, unrouted: boolean, answer: Answer): void {
      if (unrouted) {
        expect(answer.body).toBe(APP_NOT_FOUND);
      } else if (decision.kind === 'forward') {
        // Every backend of the world resolves; a forward ends at the backend (or at a 500 for a
        // share whose reference is invalid).
        const invalid = decision.backends.some((b) => b.invalid !== undefined);
        if (answer.headers['x-backend'] === undefined)
          expect(invalid && answer.status === 500).toBe(true);
      } else {
        expect(answer.status).toBe(decision.status);
        if (decision.kind === 'redirect') expect(answer.headers.location).toBe(decision.location);
      }
    }

    /** Sends one generated request; the label of what happened, for the coverage count. */
    async function check(table: RouteTable, generated: GeneratedRequest): Promise<string> {
      const probe = String(++probes);
      const answer = await send(app.origin, generated.path, {
        method: generated.method,
        headers: { ...generated.headers, host: generated.host, [PROBE_HEADER]: probe },
        agent,
      });
      const observed = app.takeDecision(probe);
      const request: ResolveRequest = {
        method: generated.method,
        path: generated.path,
        host: generated.host,
        headers: generated.headers,
        port: 80,
        scheme: 'http',
      };
      const expected = resolve(table, request);
      const unrouted = spec.isUnrouted(expected, table, request);
      if (observed === undefined && spec.answeredByFramework !== undefined) {
        return spec.answeredByFramework(expected, answer);
      }
      expect(observed).toEqual(expected);
      expectCarriedOut(expected, unrouted, answer);
      if (unrouted) return 'unrouted';
      if (expected.kind === 'respond' && expected.status === 404 && expected.route === undefined) {
        return 'respond 404 in a delegated scope';
      }
      return expected.kind === 'respond' ? `respond ${expected.status}` : expected.kind;
    }

    it('equals resolve(table, sameRequest) and is carried out (property)', async () => {
      const scenario = fc.tuple(worldArb, fc.array(requestArb, { minLength: 1, maxLength: 8 }));
      // What the runs covered: each kind of decision must come up, or the property proves little.
      const kinds = new Map<string, number>();
      await fc.assert(
        fc.asyncProperty(scenario, async ([objects, requests]) => {
          const table = compile(objects).table;
          app.swap(table);
          for (const generated of requests) {
            const kind = await check(table, generated);
            kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
          }
        }),
        propertyParameters(`${spec.name} decision`),
      );
      console.log(`[fast-check] ${spec.name} decisions:`, Object.fromEntries(kinds));
      for (const kind of [
        'forward',
        'redirect',
        'unrouted',
        'respond 404 in a delegated scope',
        'respond 500',
        'respond 400',
      ]) {
        expect(kinds.get(kind) ?? 0, kind).toBeGreaterThan(0);
      }
    });
  });
}
