/**
 * Built-in handler overhead: the franc handler run three ways over the same Line input —
 *   direct   francAll over every text in a plain loop: the model's own ceiling on this machine;
 *   builtin  the engine with the handler in-process (the `builtin` kind: no HTTP hop);
 *   command  the engine with `sluice-model-server --handler franc` spawned as a command model and
 *            reached over HTTP (the `command` kind).
 * It prints records/s and each way's ratio to the direct ceiling, and writes a JSON summary.
 * MaxConcurrentTransforms is 1: franc is synchronous CPU work on one core, so more in flight
 * would only queue (the command model is one Node process). BENCH_SCALE multiplies the records.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { francAll } from 'franc';
import { createHttpTransport, runTransform, spawnModelCommand, waitUntilHealthy, type ModelTransport, type TransformRequest } from '@sluice/engine';
import { createHandlerTransport } from '@sluice/models';
import { benchScale, fileUri, fixed, log, machine, median, round, repoRoot, scratchDir } from './bench-support.js';

const SENTENCES = [
  'All human beings are born free and equal in dignity and rights.',
  'Tous les êtres humains naissent libres et égaux en dignité et en droits.',
  'Alle Menschen sind frei und gleich an Würde und Rechten geboren.',
  'Todos los seres humanos nacen libres e iguales en dignidad y derechos.',
  'Все люди рождаются свободными и равными в своем достоинстве и правах.',
  'Tutti gli esseri umani nascono liberi ed eguali in dignità e diritti.',
];
const RECORDS = Math.round(20_000 * benchScale());
const RUNS = 3;
const MAX_PAYLOAD_MB = 1;
const SERVER_BIN = fileURLToPath(new URL('../../packages/models/bin/sluice-model-server.js', import.meta.url));

const texts = Array.from({ length: RECORDS }, (_, i) => `${SENTENCES[i % SENTENCES.length]} (${i})`);

function directRun(): number {
  const t0 = performance.now();
  let sink = 0;
  for (const text of texts) sink += francAll(text).length;
  if (sink === 0) throw new Error('franc answered nothing');
  return performance.now() - t0;
}

async function engineRun(transport: ModelTransport, dir: string, run: string): Promise<number> {
  const request: TransformRequest = { splitType: 'Line', batchStrategy: 'MultiRecord', maxPayloadInMB: MAX_PAYLOAD_MB, maxConcurrentTransforms: 1, assembleWith: 'Line', contentType: 'text/plain' };
  const t0 = performance.now();
  const summary = await runTransform({ input: { uri: fileUri(join(dir, 'in') + '/') }, output: { uri: fileUri(join(dir, `out-${run}`) + '/') }, request, transport });
  const ms = performance.now() - t0;
  if (summary.status !== 'Completed' || summary.records !== RECORDS) throw new Error(`transform ${summary.status}: ${summary.records} records ${summary.failureReason ?? ''}`);
  return ms;
}

async function main(): Promise<void> {
  const dir = await scratchDir('models');
  try {
    await mkdir(join(dir.path, 'in'), { recursive: true });
    await writeFile(join(dir.path, 'in', 'texts.txt'), `${texts.join('\n')}\n`);
    log(`franc over ${RECORDS} records, ${RUNS} runs each (median), MaxPayloadInMB ${MAX_PAYLOAD_MB}, MaxConcurrentTransforms 1`);

    directRun(); // warm-up: JIT and franc's trigram tables
    const direct = median(Array.from({ length: RUNS }, directRun));

    const builtin = await createHandlerTransport('franc');
    await engineRun(builtin, dir.path, 'warm-builtin');
    const builtinMs: number[] = [];
    for (let i = 0; i < RUNS; i++) builtinMs.push(await engineRun(builtin, dir.path, `builtin-${i}`));
    await builtin.close();

    const spawned = await spawnModelCommand({ command: `node ${SERVER_BIN} --handler franc` });
    const http = createHttpTransport(spawned.url);
    const commandMs: number[] = [];
    try {
      await waitUntilHealthy(http, { timeoutMs: 30_000, isAlive: () => spawned.isAlive(), exited: spawned.exited, lastLogLines: () => spawned.lastLines() });
      await engineRun(http, dir.path, 'warm-command');
      for (let i = 0; i < RUNS; i++) commandMs.push(await engineRun(http, dir.path, `command-${i}`));
    } finally {
      await http.close();
      await spawned.stop();
    }

    const rate = (ms: number) => RECORDS / (ms / 1000);
    const results = {
      direct: { ms: round(direct), recordsPerSecond: round(rate(direct), 0) },
      builtin: { ms: round(median(builtinMs)), recordsPerSecond: round(rate(median(builtinMs)), 0), ratioToDirect: round(direct / median(builtinMs)) },
      command: { ms: round(median(commandMs)), recordsPerSecond: round(rate(median(commandMs)), 0), ratioToDirect: round(direct / median(commandMs)) },
    };
    log(`direct loop  ${fixed(results.direct.recordsPerSecond, 0)} records/s (ceiling)`);
    log(`builtin      ${fixed(results.builtin.recordsPerSecond, 0)} records/s  ${fixed(results.builtin.ratioToDirect, 3)} of the ceiling`);
    log(`command/HTTP ${fixed(results.command.recordsPerSecond, 0)} records/s  ${fixed(results.command.ratioToDirect, 3)} of the ceiling`);
    const out = join(repoRoot, 'bench-results');
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'models.json'), `${JSON.stringify({ machine: machine(), records: RECORDS, runs: RUNS, results }, null, 2)}\n`);
    log(`summary: ${join(out, 'models.json')}`);
  } finally {
    await dir.remove();
  }
}

await main();
