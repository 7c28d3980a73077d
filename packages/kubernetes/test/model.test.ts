/**
 * Model-based test of the Kubernetes source (fast-check commands): objects exist before the
 * source starts (they arrive by list) and are then added, changed and deleted (they arrive by
 * watch); watches are cut or ended, history is compacted (410 Gone → relist), the API server goes
 * away and comes back, the source restarts, other writers add their own status entries. After
 * every step the source's table equals `compile` of the model's objects, the statuses on the
 * server are what `compile` reports (ours) plus what the other writers put there (theirs),
 * listener counts match, and every Service port resolves to the ready endpoints of its slices.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { applyToModel, applyToServer, commandArbitraries, mutation } from './model/commands.js';
import {
  checkAgainstModel,
  emptyModel,
  openApi,
  settle,
  startSource,
  type Real,
} from './model/harness.js';

const budget = Number(process.env.FC_TIME_BUDGET_MS ?? 4000);
const numRuns = Number(process.env.FC_NUM_RUNS ?? 1000);
const seed = process.env.FC_SEED
  ? Number(process.env.FC_SEED)
  : (Date.now() ^ (Math.random() * 0x100000000)) >>> 0;

describe('Kubernetes source against a model of the cluster', () => {
  it(
    'serves compile(model) and writes its statuses after every step',
    async () => {
      console.log(
        `model-based test: seed ${seed} (replay with FC_SEED=${seed}), budget ${budget} ms`,
      );
      let runs = 0;
      let steps = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(mutation, { maxLength: 10 }),
          fc.commands(commandArbitraries, { maxCommands: 12 }),
          async (initial, commands) => {
            runs++;
            steps += [...commands].length;
            const model = emptyModel();
            const api = await openApi();
            const real: Real = { api, source: undefined! };
            try {
              for (const [slot, version] of initial) {
                applyToServer(real, slot, version, model);
                applyToModel(model, slot, version);
              }
              real.source = await startSource(api);
              await settle(real);
              checkAgainstModel(model, real);
              await fc.asyncModelRun(() => ({ model, real }), commands);
            } finally {
              await real.source?.close();
              await api.close();
            }
          },
        ),
        { numRuns, interruptAfterTimeLimit: budget, seed },
      );
      console.log(`model-based test: ${runs} runs, ${steps} steps`);
    },
    budget + 30_000,
  );
});
