// The core against every case file: the bundled Gateway API corpus, the delegation cases,
// Switchyard's own Gateway cases, and any
// folder named by SWITCHYARD_CASES_DIR. Checks the core cannot show are reported as skipped.
import { casesDir, coreTarget, externalCasesDir, runCases } from '../src/index.js';

runCases({
  target: coreTarget(),
  dirs: [casesDir.gatewayApi, casesDir.delegation, casesDir.switchyard, externalCasesDir()],
});
