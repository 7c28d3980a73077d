// Every routing case file (the Gateway API corpus and the delegation cases) through the
// Kubernetes source: objects in a fake API server, tables from its watches, statuses read back
// from the server after the source wrote them. Checks the core cannot show are skipped likewise.
import { casesDir, runCases } from '@switchyard/test-kit';
import { kubernetesTarget } from './kubernetes-target.js';

runCases({ target: kubernetesTarget(), dirs: [casesDir.gatewayApi, casesDir.delegation] });
