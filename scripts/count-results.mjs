// Prints the skipped tests grouped by why they were skipped, then one line
// "N passed, N failed, N skipped" from vitest's JSON report. Exits 1 when the report is missing,
// when a test failed, or when no test ran (a run that executed nothing proves nothing).
//
// Skip reasons come from the titles: the test-kit runner registers a case-file check a target
// cannot show as `<check> — skipped: <reason>` (an HTTP adapter cannot observe route statuses;
// those are checked against the core). Other skipped tests are grouped under their suite.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

const args = process.argv.slice(2);
// `--line-only`: just the last line (CI prints it again after `pnpm test` printed the reasons).
const lineOnly = args.includes('--line-only');
const file = args.find((arg) => !arg.startsWith('--')) ?? 'test-results.json';
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  console.error(`cannot read ${file}: ${error.message}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const MARK = ' — skipped: ';
/** reason -> { count, files } */
const reasons = new Map();
for (const result of report.testResults ?? []) {
  const where = relative(process.cwd(), result.name ?? '');
  for (const test of result.assertionResults ?? []) {
    if (test.status === 'passed' || test.status === 'failed') continue;
    const titles = [...(test.ancestorTitles ?? []), test.title ?? ''];
    const marked = titles.find((title) => title.includes(MARK));
    const reason =
      marked !== undefined
        ? marked.slice(marked.indexOf(MARK) + MARK.length)
        : test.status === 'todo'
          ? 'todo'
          : `a suite that does not run here: ${titles[0] ?? where}`;
    const entry = reasons.get(reason) ?? { count: 0, files: new Set() };
    entry.count++;
    entry.files.add(where);
    reasons.set(reason, entry);
  }
}

if (reasons.size > 0 && !lineOnly) {
  console.log(
    '\nskipped, by reason (case-file checks a target cannot observe, and suites that need',
  );
  console.log('something this machine lacks, such as a Kubernetes cluster in KUBECONFIG):');
  const sorted = [...reasons].sort((a, b) => b[1].count - a[1].count);
  for (const [reason, { count, files }] of sorted) {
    const list = [...files];
    const shown =
      list.slice(0, 3).join(', ') + (list.length > 3 ? `, +${list.length - 3} more` : '');
    console.log(`  ${String(count).padStart(5)}  ${reason}  (${shown})`);
  }
}

const passed = report.numPassedTests ?? 0;
// A file that fails to load has no test results of its own; count it as one failure.
const brokenFiles = (report.testResults ?? []).filter(
  (result) => result.status === 'failed' && (result.assertionResults ?? []).length === 0,
).length;
const failed = (report.numFailedTests ?? 0) + brokenFiles;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
