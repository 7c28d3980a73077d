// The conformance report: docs/conformance/report.yaml, one Gateway API `ConformanceReport`
// (conformance/apis/v1 of kubernetes-sigs/gateway-api) per implementation (the core and each HTTP
// data plane), derived from vitest's JSON results of the README's test command, so no second run
// is needed. A case file is one test; its checks (requests, statuses) decide its result.
//
//   node scripts/conformance-report.mjs --write [--results test-results.json]
//   node scripts/conformance-report.mjs --check [--results test-results.json]
//
// --check exits 1 when the committed report differs from what the results give. The report holds
// nothing that changes per run (no timings); `date` is the day the results last changed it:
// --write keeps the committed date when nothing else changed, and --check ignores it.
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const REPORT = join(root, 'docs/conformance/report.yaml');
const CASES = join(root, 'packages/test-kit/cases');
const GATEWAY_API_VERSION = 'v1.6.1';
// The corpus includes experimental-channel features (retry, named rules, percentage mirrors).
const GATEWAY_API_CHANNEL = 'experimental';

/** The conformance test files, by implementation (the first `describe` is the target's name). */
const IMPLEMENTATIONS = [
  {
    project: 'switchyard-core',
    package: 'core',
    file: 'packages/test-kit/test/core-conformance.test.ts',
    note: 'the route table and decisions of @switchyard/core (no sockets)',
  },
  {
    project: 'switchyard-node',
    package: 'node',
    file: 'packages/node/test/conformance.test.ts',
    note: '@switchyard/node over real sockets with echo backends',
  },
  {
    project: 'switchyard-express5',
    package: 'express',
    file: 'packages/express/test/conformance-express5.test.ts',
    note: '@switchyard/express on Express 5 over real sockets',
  },
  {
    project: 'switchyard-fastify5',
    package: 'fastify',
    file: 'packages/fastify/test/conformance-fastify5.test.ts',
    note: '@switchyard/fastify on Fastify 5 over real sockets',
  },
];

const CORE_FEATURES = new Set(['Gateway', 'HTTPRoute', 'ReferenceGrant']);

/** Case folders and the profile each becomes. */
const PROFILES = [
  { dir: 'gateway-api', name: 'GATEWAY-HTTP' },
  { dir: 'delegation', name: 'SWITCHYARD-DELEGATION' },
  { dir: 'switchyard', name: 'SWITCHYARD-GATEWAY' },
];

function args() {
  const argv = process.argv.slice(2);
  const mode = argv.includes('--check') ? 'check' : argv.includes('--write') ? 'write' : undefined;
  const at = argv.indexOf('--results');
  const results = at >= 0 ? argv[at + 1] : 'test-results.json';
  if (mode === undefined) {
    console.error('usage: conformance-report.mjs --write|--check [--results test-results.json]');
    process.exit(2);
  }
  return { mode, results: resolve(root, results) };
}

/** Case files by folder and file name: name, level, features. */
function readCases() {
  const byKey = new Map();
  for (const { dir } of PROFILES) {
    for (const file of readdirSync(join(CASES, dir))
      .filter((f) => f.endsWith('.yaml'))
      .sort()) {
      const doc = parse(readFileSync(join(CASES, dir, file), 'utf8'));
      byKey.set(`${dir}/${file}`, {
        dir,
        file,
        name: doc.name,
        level: doc.level ?? 'core',
        features: doc.features ?? [],
      });
    }
  }
  return byKey;
}

/** `Name (file.yaml)` → `file.yaml`, as `runCases` titles a case file's `describe`. */
function caseFileOf(title) {
  return /\(([^()]+\.yaml)\)$/.exec(title)?.[1];
}

/**
 * Per case file: 'failed' when any check failed, 'passed' when at least one ran and none failed,
 * 'skipped' when none ran; with the skip reasons seen.
 */
function caseResults(fileResult) {
  const byCase = new Map();
  for (const test of fileResult.assertionResults ?? []) {
    const [, dir, caseTitle] = test.ancestorTitles;
    const file = caseTitle === undefined ? undefined : caseFileOf(caseTitle);
    if (file === undefined) continue;
    const key = `${dir}/${file}`;
    const entry = byCase.get(key) ?? { passed: 0, failed: 0, skipped: 0, reasons: new Set() };
    if (test.status === 'passed') entry.passed++;
    else if (test.status === 'failed') entry.failed++;
    else {
      entry.skipped++;
      const reason = / — skipped: (.*)$/.exec(test.title)?.[1];
      if (reason !== undefined) entry.reasons.add(reason);
    }
    byCase.set(key, entry);
  }
  return byCase;
}

function outcome(entry) {
  if (entry === undefined) return 'skipped';
  if (entry.failed > 0) return 'failed';
  return entry.passed > 0 ? 'passed' : 'skipped';
}

/** Features a target said it does not support, from "<target> does not support A, B". */
function unsupportedFrom(reasons) {
  const features = new Set();
  for (const reason of reasons) {
    const listed = /does not support (.*)$/.exec(reason)?.[1];
    if (listed === undefined) continue;
    for (const feature of listed.split(', '))
      if (!feature.startsWith('options.')) features.add(feature);
  }
  return features;
}

/** Statistics per test (case file); `partialChecks` counts checks skipped inside passed tests. */
function status(cases, results) {
  const statistics = { Failed: 0, Passed: 0, Skipped: 0 };
  const skippedTests = [];
  const failedTests = [];
  const partial = { checks: 0, reasons: new Set() };
  for (const c of cases) {
    const entry = results.get(`${c.dir}/${c.file}`);
    const result = outcome(entry);
    if (result === 'passed') {
      statistics.Passed++;
      partial.checks += entry.skipped;
      for (const reason of entry.reasons) partial.reasons.add(reason);
    } else if (result === 'failed') {
      statistics.Failed++;
      failedTests.push(c.name);
    } else {
      statistics.Skipped++;
      skippedTests.push(c.name);
    }
  }
  const result =
    statistics.Failed > 0
      ? 'failure'
      : statistics.Passed === 0
        ? 'skipped'
        : statistics.Skipped > 0
          ? 'partial'
          : 'success';
  const status = {
    result,
    statistics,
    ...(skippedTests.length > 0 ? { skippedTests: skippedTests.sort() } : {}),
    ...(failedTests.length > 0 ? { failedTests: failedTests.sort() } : {}),
  };
  // Not a report field: only the summary mentions it.
  Object.defineProperty(status, 'partial', { value: partial, enumerable: false });
  return status;
}

function summary(core, extended) {
  const within = (s) =>
    s.partial.checks === 0
      ? ''
      : ` Within passed tests ${s.partial.checks} checks were skipped (${[...s.partial.reasons].sort().join('; ')}).`;
  const part = (label, s) =>
    (s.result === 'success'
      ? `${label} tests succeeded.`
      : `${label} tests ${s.result === 'partial' ? 'partially succeeded' : s.result === 'skipped' ? 'were skipped' : 'failed'} (${s.statistics.Passed} passed, ${s.statistics.Failed} failed, ${s.statistics.Skipped} skipped).`) +
    within(s);
  return [part('Core', core), ...(extended ? [part('Extended', extended)] : [])].join(' ');
}

function profile(name, cases, results) {
  const byLevel = (level) =>
    cases.filter((c) => (c.level === 'extended') === (level === 'extended'));
  const core = status(byLevel('core'), results);
  const extendedCases = byLevel('extended');
  if (extendedCases.length === 0) return { name, summary: summary(core), core };
  const reasons = extendedCases.flatMap((c) => [
    ...(results.get(`${c.dir}/${c.file}`)?.reasons ?? []),
  ]);
  const unsupported = unsupportedFrom(reasons);
  // Core features are implied by the profile; the lists name the extended ones.
  const all = new Set(
    extendedCases.flatMap((c) => c.features).filter((f) => !CORE_FEATURES.has(f)),
  );
  const extendedStatus = status(extendedCases, results);
  const extended = {
    ...extendedStatus,
    supportedFeatures: [...all].filter((f) => !unsupported.has(f)).sort(),
    ...(unsupported.size > 0 ? { unsupportedFeatures: [...unsupported].sort() } : {}),
  };
  return { name, summary: summary(core, extendedStatus), core, extended };
}

const DATE_LINE = /^date: .*$/gm;
const withoutDates = (text) => text.replace(DATE_LINE, 'date: -');

function build(resultsFile, date) {
  let report;
  try {
    report = JSON.parse(readFileSync(resultsFile, 'utf8'));
  } catch (error) {
    throw new Error(
      `cannot read ${relative(root, resultsFile)} (${error.message}); run the README's test command first`,
    );
  }
  const cases = readCases();
  const documents = [];
  for (const impl of IMPLEMENTATIONS) {
    const fileResult = report.testResults?.find((r) => relative(root, r.name) === impl.file);
    if (fileResult === undefined) {
      throw new Error(
        `${relative(root, resultsFile)} has no results of ${impl.file}; run the README's test command (or vitest on the four conformance files) first`,
      );
    }
    const results = caseResults(fileResult);
    const version = JSON.parse(
      readFileSync(join(root, 'packages', impl.package, 'package.json'), 'utf8'),
    ).version;
    const profiles = PROFILES.map(({ dir, name }) => ({
      name,
      cases: [...cases.values()].filter((c) => c.dir === dir),
    }))
      // A folder this implementation does not run is not one of its profiles.
      .filter(({ cases: list }) => list.some((c) => results.has(`${c.dir}/${c.file}`)))
      .map(({ name, cases: list }) => profile(name, list, results));
    documents.push({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'ConformanceReport',
      implementation: {
        organization: 'switchyard',
        project: impl.project,
        url: `packages/${impl.package}`,
        version: `v${version}`,
        contact: [`${impl.note}; docs/conformance/README.md`],
      },
      date,
      gatewayAPIVersion: GATEWAY_API_VERSION,
      gatewayAPIChannel: GATEWAY_API_CHANNEL,
      mode: 'default',
      profiles,
    });
  }
  const header =
    '# Generated by `npx --yes pnpm@10 run conformance` from the test results; do not edit.\n' +
    '# How to reproduce and what each skip means: docs/conformance/README.md\n';
  return header + documents.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
}

const { mode, results } = args();
let committed = '';
try {
  committed = readFileSync(REPORT, 'utf8');
} catch {
  // none yet
}
let text;
try {
  text = build(results, new Date().toISOString().slice(0, 10));
} catch (error) {
  console.error(`conformance report: ${error.message}`);
  process.exit(1);
}
const unchanged = committed !== '' && withoutDates(committed) === withoutDates(text);
if (mode === 'write') {
  if (unchanged) text = committed;
  mkdirSync(dirname(REPORT), { recursive: true });
  writeFileSync(REPORT, text);
  console.log(`wrote ${relative(root, REPORT)}`);
} else {
  if (!unchanged) {
    console.error(
      `${relative(root, REPORT)} is stale: it does not match the test results. Run \`npx --yes pnpm@10 run conformance\` and commit it.`,
    );
    process.exit(1);
  }
  console.log(`${relative(root, REPORT)} matches the test results`);
}
