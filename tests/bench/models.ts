/**
 * Built-in handler overhead: franc and fasttext-langid, each run three ways over the same Line input —
 *   direct   the library over every text in a plain loop (francAll; lid.176's WebAssembly predict):
 *            the model's own ceiling on this machine;
 *   builtin  the engine with the handler in-process (the `builtin` kind: no HTTP hop);
 *   command  the engine with `sluice-model-server --handler <name>` spawned as a command model and
 *            reached over HTTP (the `command` kind).
 * It prints records/s and each way's ratio to the direct ceiling, and writes a JSON summary.
 * MaxConcurrentTransforms is 1: both are synchronous CPU work on one core, so more in flight
 * would only queue (the command model is one Node process). BENCH_SCALE multiplies the records.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { francAll } from 'franc';
import { createHttpTransport, runTransform, spawnModelCommand, waitUntilHealthy, type ModelTransport, type TransformRequest } from '@sluice/engine';
import { createHandlerTransport, loadLidModel } from '@sluice/models';
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

/** One handler under test: its built-in name and the library's own loop over every text. */
interface Subject {
  handler: string;
  direct: () => number;
}

function timed(loop: () => number, what: string): () => number {
  return () => {
    const t0 = performance.now();
    if (loop() === 0) throw new Error(`${what} answered nothing`);
    return performance.now() - t0;
  };
}

async function subjects(): Promise<Subject[]> {
  const lid = await loadLidModel();
  const predict = lid.model!;
  return [
    {
      handler: 'franc',
      direct: timed(() => {
        let sink = 0;
        for (const text of texts) sink += francAll(text).length;
        return sink;
      }, 'franc'),
    },
    {
      handler: 'fasttext-langid',
      // fastText's top label and its probability per text, as the handler asks for them.
      direct: timed(() => {
        let sink = 0;
        for (const text of texts) {
          const top = predict.predict(text, 1, 0);
          if (top.size() > 0) sink += top.get(0)[0];
        }
        return sink;
      }, 'lid.176'),
    },
  ];
}

async function engineRun(transport: ModelTransport, dir: string, run: string): Promise<number> {
  const request: TransformRequest = { splitType: 'Line', batchStrategy: 'MultiRecord', maxPayloadInMB: MAX_PAYLOAD_MB, maxConcurrentTransforms: 1, assembleWith: 'Line', contentType: 'text/plain' };
  const t0 = performance.now();
  const summary = await runTransform({ input: { uri: fileUri(join(dir, 'in') + '/') }, output: { uri: fileUri(join(dir, `out-${run}`) + '/') }, request, transport });
  const ms = performance.now() - t0;
  if (summary.status !== 'Completed' || summary.records !== RECORDS) throw new Error(`transform ${summary.status}: ${summary.records} records ${summary.failureReason ?? ''}`);
  return ms;
}

interface WayResult {
  ms: number;
  recordsPerSecond: number;
  ratioToDirect?: number;
}

/** The three ways for one handler; the input file is already under `dir`/in. */
async function measure(subject: Subject, dir: string): Promise<Record<'direct' | 'builtin' | 'command', WayResult>> {
  subject.direct(); // warm-up: JIT, franc's trigram tables, the WebAssembly module
  const direct = median(Array.from({ length: RUNS }, subject.direct));

  const builtin = await createHandlerTransport(subject.handler);
  await engineRun(builtin, dir, `warm-builtin-${subject.handler}`);
  const builtinMs: number[] = [];
  for (let i = 0; i < RUNS; i++) builtinMs.push(await engineRun(builtin, dir, `builtin-${subject.handler}-${i}`));
  await builtin.close();

  const spawned = await spawnModelCommand({ baseEnv: process.env, command: `node ${SERVER_BIN} --handler ${subject.handler}` });
  const http = createHttpTransport(spawned.url);
  const commandMs: number[] = [];
  try {
    await waitUntilHealthy(http, { timeoutMs: 30_000, isAlive: () => spawned.isAlive(), exited: spawned.exited, lastLogLines: () => spawned.lastLines() });
    await engineRun(http, dir, `warm-command-${subject.handler}`);
    for (let i = 0; i < RUNS; i++) commandMs.push(await engineRun(http, dir, `command-${subject.handler}-${i}`));
  } finally {
    await http.close();
    await spawned.stop();
  }

  const rate = (ms: number) => RECORDS / (ms / 1000);
  const way = (ms: number): WayResult => ({ ms: round(ms), recordsPerSecond: round(rate(ms), 0), ratioToDirect: round(direct / ms) });
  const results = { direct: { ms: round(direct), recordsPerSecond: round(rate(direct), 0) }, builtin: way(median(builtinMs)), command: way(median(commandMs)) };
  log(`${subject.handler}`);
  log(`  direct loop  ${fixed(results.direct.recordsPerSecond, 0)} records/s (ceiling)`);
  log(`  builtin      ${fixed(results.builtin.recordsPerSecond, 0)} records/s  ${fixed(results.builtin.ratioToDirect!, 3)} of the ceiling`);
  log(`  command/HTTP ${fixed(results.command.recordsPerSecond, 0)} records/s  ${fixed(results.command.ratioToDirect!, 3)} of the ceiling`);
  return results;
}

async function main(): Promise<void> {
  const dir = await scratchDir('models');
  try {
    await mkdir(join(dir.path, 'in'), { recursive: true });
    await writeFile(join(dir.path, 'in', 'texts.txt'), `${texts.join('\n')}\n`);
    log(`${RECORDS} records, ${RUNS} runs each (median), MaxPayloadInMB ${MAX_PAYLOAD_MB}, MaxConcurrentTransforms 1`);
    const results: Record<string, Awaited<ReturnType<typeof measure>>> = {};
    for (const subject of await subjects()) results[subject.handler] = await measure(subject, dir.path);

    const out = join(repoRoot, 'bench-results');
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'models.json'), `${JSON.stringify({ machine: machine(), records: RECORDS, runs: RUNS, results }, null, 2)}\n`);
    log(`summary: ${join(out, 'models.json')}`);
  } finally {
    await dir.remove();
  }
}

await main();
