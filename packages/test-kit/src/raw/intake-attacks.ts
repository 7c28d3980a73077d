/**
 * Runs the intake attack table (./intake-cases.ts) against one framework adapter: starts two
 * recording backends, lets the adapter start its app on the compiled table, and sends every case
 * over a raw socket. Each adapter supplies only how its app starts and what is specific to it.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { compile } from '@switchyard/core';
import type { RouteTable } from '@switchyard/core';
import { runAttack } from './attack.js';
import type { AttackCase } from './attack.js';
import { startRawBackend } from './backend.js';
import { intakeAttackCases, intakeAttackObjects } from './intake-cases.js';
import type { IntakeCaseSpec, IntakeWorld } from './intake-cases.js';

/** The adapter options every app under test is started with (spread into the adapter's options). */
export interface IntakeAdapterOptions {
  readonly source: RouteTable;
  readonly logger: false;
  readonly noRoute: 'respond';
  readonly port: 80;
  readonly via: string;
  readonly maxRequestTargetLength: 2048;
}

/** An app listening on 127.0.0.1. */
export interface IntakeApp {
  readonly port: number;
  close(): Promise<void>;
}

export interface IntakeAttackSpec extends IntakeCaseSpec {
  /** The `describe` title, e.g. `express 5: attacks through the middleware`. */
  readonly title: string;
  /** Cases only this adapter runs, after the shared ones. */
  readonly extraCases?: readonly AttackCase<IntakeWorld>[];
  /**
   * Starts the app with `options` and a static resolver sending each `namespace/name:port` in
   * `backends` to its origin.
   */
  start(
    options: IntakeAdapterOptions,
    backends: Readonly<Record<string, string>>,
  ): Promise<IntakeApp>;
}

/** Registers the intake attack suite as a `describe` block for one adapter and framework major. */
export function intakeAttacks(spec: IntakeAttackSpec): void {
  const cases = [...intakeAttackCases(spec), ...(spec.extraCases ?? [])];

  describe(spec.title, () => {
    let world: IntakeWorld;
    let app: IntakeApp;

    beforeAll(async () => {
      const echo = await startRawBackend('echo');
      const admin = await startRawBackend('admin');
      world = { echo, admin, backends: [echo, admin] };
      app = await spec.start(
        {
          source: compile(intakeAttackObjects()).table,
          logger: false,
          noRoute: 'respond',
          port: 80,
          via: spec.pseudonym,
          maxRequestTargetLength: 2048,
        },
        { 'infra/echo:8080': echo.origin, 'infra/admin:8080': admin.origin },
      );
    });

    afterAll(async () => {
      await app.close();
      await Promise.all([world.echo.close(), world.admin.close()]);
    });

    it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      await runAttack(world, c, app.port);
    });
  });
}
