/**
 * The engine benchmark: `npm run bench` (all scenarios) or `npm run bench -- copy memory`.
 *
 *   copy     Line job with an in-process identity model vs a raw copy through the same store
 *   http     `sluice transform` against the echo model vs a bare undici load generator
 *   ceiling  engine records/s vs a model with a fixed service time and capacity
 *   memory   peak RSS of a child transforming a 2 GB object vs an idle child
 *
 * BENCH_SCALE scales every data size (default 1; 0.1 for a quick run), BENCH_RUNS the timed runs
 * per side (default 5), BENCH_DIR where data files go (default: /dev/shm for the throughput
 * ratios when it has room, the OS temp dir otherwise). Prints each
 * figure with PASS/FAIL against its target and writes bench-results/engine.json at the repo root.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { benchRuns, benchScale, fixed, loadNote, log, machine, passText, removeScratchNow, repoRoot, type ScenarioResult } from './bench-support.js';
import { copyRatio } from './copy-ratio.js';
import { httpRatio } from './http-ratio.js';
import { memory } from './memory.js';
import { modelCeiling } from './model-ceiling.js';

const SCENARIOS: Record<string, () => Promise<ScenarioResult>> = {
  copy: copyRatio,
  http: httpRatio,
  ceiling: modelCeiling,
  memory,
};

const ALIASES: Record<string, string> = {
  'copy-ratio': 'copy',
  'http-ratio': 'http',
  'model-ceiling': 'ceiling',
  mem: 'memory',
};

async function main(): Promise<number> {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  if (args.includes('--help') || args.includes('-h')) {
    log(`usage: npm run bench [-- ${Object.keys(SCENARIOS).join(' ')}]   (env: BENCH_SCALE, BENCH_RUNS, BENCH_DIR)`);
    return 0;
  }
  const chosen = args.length === 0 ? Object.keys(SCENARIOS) : args.map((a) => ALIASES[a] ?? a);
  const unknown = chosen.filter((name) => !(name in SCENARIOS));
  if (unknown.length > 0) {
    process.stderr.write(`unknown scenario${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (choose from ${Object.keys(SCENARIOS).join(', ')})\n`);
    return 2;
  }

  const scale = benchScale();
  const host = machine();
  const started = new Date();
  log(`Sluice engine benchmark — ${started.toISOString()}`);
  log(`machine: ${host.cpus} × ${host.cpuModel}, ${fixed(host.totalMemoryMB / 1000, 1)} GB, node ${host.node}, load ${host.loadAverage.join(' ')}`);
  log(`scale ${scale}, best of ${benchRuns()}, scenarios: ${chosen.join(', ')}`);

  const results: Array<ScenarioResult & { load1Before?: number; load1After?: number }> = [];
  const errors: Array<{ name: string; error: string }> = [];
  for (const name of chosen) {
    log();
    log(`== ${name}   (${loadNote()})`);
    try {
      const loadBefore = loadavg()[0]!;
      const result = await SCENARIOS[name]!();
      results.push({ ...result, load1Before: Math.round(loadBefore * 100) / 100, load1After: Math.round(loadavg()[0]! * 100) / 100 });
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      errors.push({ name, error: message });
      log(`  ERROR: ${message}`);
    }
  }

  log();
  log('== summary');
  for (const r of results) {
    log(`  ${passText(r.pass)}  ${r.name.padEnd(8)} ${String(r.value).padStart(8)}  (${r.target.metric} ${r.target.op} ${r.target.value})  ${r.durationS} s`);
  }
  for (const e of errors) log(`  ERROR ${e.name}`);

  const summary = {
    date: started.toISOString(),
    machine: host,
    loadAverageAfter: machine().loadAverage,
    scale,
    runs: benchRuns(),
    scenarios: Object.fromEntries(results.map((r) => [r.name, r])),
    ...(errors.length > 0 ? { errors } : {}),
    pass: errors.length === 0 && results.every((r) => r.pass),
    durationS: Math.round((Date.now() - started.getTime()) / 100) / 10,
  };
  const outDir = join(repoRoot, 'bench-results');
  await mkdir(outDir, { recursive: true });
  const outFile = join(outDir, 'engine.json');
  await writeFile(outFile, `${JSON.stringify(summary, null, 2)}\n`);
  log(`wrote ${outFile}`);
  // A figure below target is a finding, not a crash: exit 0 unless a scenario could not run.
  return errors.length > 0 ? 1 : 0;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`\n${signal}: removing scratch data and stopping\n`);
    removeScratchNow();
    process.exit(130);
  });
}

process.exitCode = await main();
