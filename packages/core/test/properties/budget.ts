/**
 * fast-check settings from the environment: FC_NUM_RUNS (default 1000), FC_TIME_BUDGET_MS
 * (default 4000 per property) and FC_SEED to replay a reported failure. fast-check prints the seed
 * and path of any counterexample; the seed in use is also logged so a passing run can be replayed.
 */
import type { Parameters } from 'fast-check';

export function budget<T>(name: string): Parameters<T> {
  const seed = process.env.FC_SEED
    ? Number(process.env.FC_SEED)
    : Date.now() ^ (Math.random() * 0x7fffffff);
  console.log(`[fast-check] ${name}: seed ${seed} (replay with FC_SEED=${seed})`);
  return {
    seed,
    numRuns: Number(process.env.FC_NUM_RUNS ?? 1000),
    interruptAfterTimeLimit: Number(process.env.FC_TIME_BUDGET_MS ?? 4000),
    markInterruptAsFailure: false,
  };
}
