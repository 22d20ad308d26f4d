/**
 * Model ceiling: a model with a fixed speed (the reference server's latency mode: L0 ms per
 * invocation plus c ms per record, at most K invocations in service at once, the rest queued)
 * sets a ceiling of K·B / (L0 + c·B) records/s for mini-batches of B records. The engine, with
 * MaxConcurrentTransforms = K, should keep the model that busy: its records/s over the ceiling.
 *
 * B comes from the payload limit: records of RECORD_BYTES with MaxPayloadInMB 1 make batches of
 * exactly B records (1 MiB holds 500 records of 2,097 bytes, not 501).
 *
 * The formula leaves out the time a 1 MB payload and its 1 MB answer spend on the wire and in the
 * two HTTP stacks (about 5 ms here), during which, with MaxConcurrentTransforms = K, a model slot
 * idles. With B = 100 (150 ms per batch) that alone holds any client to about 0.93–0.96 of the
 * ceiling on this machine; B = 500 (550 ms per batch) keeps it under 1%, so the figure is about
 * the engine. The same batches are also sent by a bare load generator (undici Pool, K
 * connections, K in flight): what any client reaches against this model here.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Pool } from 'undici';
import { createHttpTransport, runTransform, type InvocationEvent, type TransformRequest } from '@sluice/engine';
import { startModelServer, type RunningModelServer } from '@sluice/testkit';
import {
  benchScale,
  countingGc,
  fileUri,
  fixed,
  log,
  passText,
  round,
  scratchDir,
  sizeText,
  verdict,
  writeLineFile,
  MiB,
  type ScenarioResult,
  type Target,
} from './bench-support.js';

const TARGET: Target = { metric: 'engine records/s ÷ model ceiling K·B/(L0+c·B)', op: '>=', value: 0.95 };

const K = 4;
const L0_MS = 50;
const PER_RECORD_MS = 1;
const MAX_PAYLOAD_MB = 1;
/** At scale 1 the engine's run lasts about this long at the ceiling (and the generator's as long again). */
const SECONDS_AT_SCALE_1 = 20;

export async function modelCeiling(): Promise<ScenarioResult> {
  const started = performance.now();
  const scale = benchScale();
  // BENCH_CEILING_B=100 runs the 150 ms-per-batch variant (see above).
  const B = Number(process.env.BENCH_CEILING_B ?? 500);
  const RECORD_BYTES = Math.floor((MAX_PAYLOAD_MB * MiB) / B);
  if (!Number.isInteger(B) || B < 2 || Math.floor((MAX_PAYLOAD_MB * MiB) / RECORD_BYTES) !== B) throw new Error(`BENCH_CEILING_B=${B}: no record size gives batches of exactly B records`);
  const serviceMs = L0_MS + PER_RECORD_MS * B;
  const batches = Math.max(8 * K, Math.round((SECONDS_AT_SCALE_1 * 1000 * scale) / serviceMs) * K);
  const records = batches * B;
  const ceiling = (K * B) / (serviceMs / 1000);
  const idealMs = (batches / K) * serviceMs;

  const dir = await scratchDir('ceiling', { inMemory: true, bytesNeeded: 2 * records * RECORD_BYTES });
  let model: RunningModelServer | undefined;
  try {
    const input = await writeLineFile(join(dir.path, 'in', 'data.txt'), { bytes: records * RECORD_BYTES, minLine: RECORD_BYTES, maxLine: RECORD_BYTES, seed: 3 });
    if (input.lines !== records) throw new Error(`wrote ${input.lines} lines, expected ${records}`);
    log(`model: L0 ${L0_MS} ms + ${PER_RECORD_MS} ms/record, capacity K = ${K}; batches of B = ${B} records (${RECORD_BYTES} B each, MaxPayloadInMB ${MAX_PAYLOAD_MB})`);
    log(`input: ${records.toLocaleString('en-US')} records (${sizeText(input.bytes)}) = ${batches} batches; ceiling ${fixed(ceiling, 0)} records/s, ideal ${fixed(idealMs / 1000, 1)} s`);

    model = await startModelServer('latency', {
      FIXED_LATENCY_MS: String(L0_MS),
      PER_RECORD_MS: String(PER_RECORD_MS),
      CAPACITY: String(K),
    });
    const transport = createHttpTransport(model.url, { connections: K });
    const request: TransformRequest = {
      splitType: 'Line',
      batchStrategy: 'MultiRecord',
      maxPayloadInMB: MAX_PAYLOAD_MB,
      maxConcurrentTransforms: K,
      assembleWith: 'Line',
    };

    const events: Array<InvocationEvent & { at: number }> = [];
    let lastWrite = 0;
    const t0 = performance.now();
    const { value: summary, gc } = await countingGc(() =>
      runTransform(
        { input: { uri: fileUri(join(dir.path, 'in') + '/') }, output: { uri: fileUri(join(dir.path, 'out') + '/') }, request, transport },
        {
          observer: {
            invocation: (event) => events.push({ ...event, at: performance.now() }),
            count: (delta) => {
              if (delta.bytesOut !== undefined) lastWrite = performance.now();
            },
          },
        },
      ),
    );
    const wallMs = performance.now() - t0;
    await transport.close();
    if (summary.status !== 'Completed' || summary.records !== records || summary.bytesOut !== input.bytes) {
      throw new Error(`transform ${summary.status}: ${summary.records} records, ${summary.bytesOut} bytes out ${summary.failureReason ?? ''}`);
    }
    const retries = events.filter((e) => e.attempt > 0).length;
    const odd = events.filter((e) => e.records !== B).length;
    if (odd > 0) throw new Error(`${odd} invocations did not carry exactly ${B} records`);
    const stats = await model.stats();

    // The same batches from a bare client: the model's ceiling as this machine lets a client reach it.
    const data = await readFile(input.path);
    const payloads = Array.from({ length: batches }, (_, i) => data.subarray(i * B * RECORD_BYTES, (i + 1) * B * RECORD_BYTES));
    const generatorMs = await bareGenerator(model.url, payloads);
    const generatorRate = (records * 1000) / generatorMs;

    const firstSent = Math.min(...events.map((e) => e.at - e.latencyMs));
    const lastAnswered = Math.max(...events.map((e) => e.at));
    const rate = (records * 1000) / wallMs;
    const ratio = rate / ceiling;
    const invokingRate = (records * 1000) / (lastAnswered - firstSent);
    const latencies = events.map((e) => e.latencyMs).sort((a, b) => a - b);
    const pass = verdict(ratio, TARGET);

    log(`  engine ${fixed(rate, 0)} records/s in ${fixed(wallMs / 1000, 2)} s (runTransform, end to end)   ceiling ${fixed(ceiling, 0)}   ratio ${fixed(ratio, 3)} (target ≥ ${TARGET.value})  ${passText(pass)}`);
    log(`  first invocation sent at ${fixed(firstSent - t0, 0)} ms, last answered at ${fixed(lastAnswered - t0, 0)} ms, last write at ${fixed(lastWrite - t0, 0)} ms, done at ${fixed(wallMs, 0)} ms`);
    log(`  while invoking: ${fixed(invokingRate, 0)} records/s (ratio ${fixed(invokingRate / ceiling, 3)}); latency p50 ${fixed(latencies[latencies.length >> 1]!, 1)} ms, max ${fixed(latencies[latencies.length - 1]!, 1)} ms; model saw at most ${stats.maxConcurrent} at once`);
    log(`  ${gc.major} major GCs (${fixed(gc.pauseMs, 0)} ms of GC pauses) during the run`);
    log(`  bare load generator, same batches: ${fixed(generatorRate, 0)} records/s (${fixed(generatorRate / ceiling, 3)} of the ceiling); engine ÷ generator ${fixed(rate / generatorRate, 3)}`);
    return {
      name: 'ceiling',
      title: `model ceiling: K=${K}, L0=${L0_MS} ms, c=${PER_RECORD_MS} ms/record, B=${B}`,
      target: TARGET,
      value: round(ratio),
      pass,
      figures: {
        K,
        fixedLatencyMs: L0_MS,
        perRecordMs: PER_RECORD_MS,
        recordsPerBatch: B,
        recordBytes: RECORD_BYTES,
        batches,
        records,
        inputBytes: input.bytes,
        ceilingRecordsPerSecond: round(ceiling, 1),
        idealMs: Math.round(idealMs),
        wallMs: Math.round(wallMs),
        engineRecordsPerSecond: round(rate, 1),
        ratio: round(ratio),
        firstInvocationSentMs: Math.round(firstSent - t0),
        lastAnswerMs: Math.round(lastAnswered - t0),
        lastWriteMs: Math.round(lastWrite - t0),
        invokingRecordsPerSecond: round(invokingRate, 1),
        ratioWhileInvoking: round(invokingRate / ceiling),
        latencyP50Ms: round(latencies[latencies.length >> 1]!, 1),
        latencyMaxMs: round(latencies[latencies.length - 1]!, 1),
        invocations: events.length,
        retries,
        modelMaxConcurrent: stats.maxConcurrent,
        majorGcs: gc.major,
        gcPauseMs: Math.round(gc.pauseMs),
        generatorMs: Math.round(generatorMs),
        generatorRecordsPerSecond: round(generatorRate, 1),
        generatorRatioToCeiling: round(generatorRate / ceiling),
        engineRatioToGenerator: round(rate / generatorRate),
        dataMedium: dir.medium,
      },
      notes: [
        'ratio = records ÷ runTransform wall time (listing, reading, writing and complete() included) ÷ ceiling',
        'generator = undici Pool with K connections, K requests in flight, the same mini-batches built in memory',
      ],
      durationS: round((performance.now() - started) / 1000, 1),
    };
  } finally {
    await model?.stop();
    await dir.remove();
  }
}

/** Sends every payload with K requests in flight and reads every answer; the time taken. */
async function bareGenerator(url: string, payloads: Buffer[]): Promise<number> {
  const pool = new Pool(url, { connections: K, pipelining: 1, headersTimeout: 0, bodyTimeout: 0 });
  let next = 0;
  const t0 = performance.now();
  const lane = async () => {
    while (next < payloads.length) {
      const response = await pool.request({ method: 'POST', path: '/invocations', body: payloads[next++]! });
      const chunks: Buffer[] = [];
      for await (const chunk of response.body as AsyncIterable<Buffer>) chunks.push(chunk);
      if (response.statusCode !== 200) throw new Error(`model answered ${response.statusCode}`);
    }
  };
  try {
    await Promise.all(Array.from({ length: K }, lane));
  } finally {
    await pool.close();
  }
  return performance.now() - t0;
}
