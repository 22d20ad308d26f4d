#!/usr/bin/env node
// Adds up the vitest JSON reports that every workspace's `npm test` writes to
// test-results/vitest.json and prints one closing line: "tests: N passed, N failed, N skipped".
// Exits 1 when a report is missing for a workspace that has tests, or when nothing ran.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const workspaces = ['packages', 'apps'].flatMap((dir) =>
  existsSync(join(root, dir)) ? readdirSync(join(root, dir)).map((name) => join(root, dir, name)) : [],
);
workspaces.push(join(root, 'tests'), join(root, 'examples'));

let passed = 0;
let failed = 0;
let skipped = 0;
let missing = [];
for (const ws of workspaces) {
  const pkg = join(ws, 'package.json');
  if (!existsSync(pkg) || !JSON.parse(readFileSync(pkg, 'utf8')).scripts?.test) continue;
  const report = join(ws, 'test-results', 'vitest.json');
  if (!existsSync(report)) {
    missing.push(ws.slice(root.length));
    continue;
  }
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed += r.numPassedTests ?? 0;
  failed += r.numFailedTests ?? 0;
  skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  console.log(`${ws.slice(root.length).padEnd(20)} ${r.numPassedTests} passed, ${r.numFailedTests} failed (${r.numTotalTestSuites} suites)`);
}
for (const ws of missing) console.log(`${ws.padEnd(20)} no test report: did its tests run?`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || missing.length > 0 || passed === 0 ? 1 : 0);
