// Prints the closing line of .ci/run from the test reports: "N passed, M failed".
import { existsSync, readFileSync } from 'node:fs';

const status = Number(process.argv[2] ?? 1);
// The executable's build and smoke test (build/smoke.mjs), counted as one test; absent when not run.
const smoke = process.argv[3] === undefined ? undefined : Number(process.argv[3]);
let passed = 0;
let failed = 0;
const notes = [];

if (existsSync('reports/vitest.json')) {
  const report = JSON.parse(readFileSync('reports/vitest.json', 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  notes.push(`vitest: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests} skipped`);
} else {
  notes.push('vitest: no report (it did not run)');
}

if (existsSync('reports/deno-junit.xml')) {
  const xml = readFileSync('reports/deno-junit.xml', 'utf8');
  const cases = [...xml.matchAll(/<testcase\b[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g)];
  const denoFailed = cases.filter((match) => /<failure|<error/.test(match[2] ?? '')).length;
  passed += cases.length - denoFailed;
  failed += denoFailed;
  notes.push(`deno: ${cases.length - denoFailed} passed, ${denoFailed} failed`);
} else {
  notes.push('deno: no report (it did not run)');
}

if (smoke !== undefined) {
  if (smoke === 0) passed++;
  else failed++;
  notes.push(`executable build and smoke test: ${smoke === 0 ? 'passed' : `FAILED (exit ${smoke})`}`);
}

// A non-zero exit with no failed test (type errors, coverage thresholds, a crash) still fails.
if (status !== 0 && failed === 0) {
  failed = 1;
  notes.push(`the test command exited with ${status} outside any test (typecheck, coverage thresholds or a crash)`);
}

for (const note of notes) console.log(note);
console.log(`${passed} passed, ${failed} failed`);
