/**
 * Model ceiling: a model with a fixed speed (the reference server's latency mode: L0 ms per
 * invocation plus c ms per record, at most K invocations in service at once, the rest queued)
 * sets a ceiling of K·B / (L0 + c·B) records/s for mini-batches of B records. The engine, with
 * MaxConcurrentTransforms = K, should keep the model that busy: its records/s over the ceiling.
 *
 * B comes from the payload limit: records of RECORD_BYTES with MaxPayloadInMB 1 make batches of
 * exactly B records (1 MiB holds 100 records of 10,400 bytes, not 101).
 */
import { join } from 'node:path';
import { createHttpTransport, runTransform, type InvocationEvent, type TransformRequest } from '@sluice/engine';
import { startModelServer, type RunningModelServer } from '@sluice/testkit';
import {
  benchScale,
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
const B = 100;
const RECORD_BYTES = 10_400;
const MAX_PAYLOAD_MB = 1;
/** At scale 1: 640 batches, 160 waves of K, ~24 s at the ceiling. */
const BATCHES_AT_SCALE_1 = 640;

export async function modelCeiling(): Promise<ScenarioResult> {
  const started = performance.now();
  const scale = benchScale();
  if (Math.floor((MAX_PAYLOAD_MB * MiB) / RECORD_BYTES) !== B) throw new Error('RECORD_BYTES does not give batches of B records');
  const batches = Math.max(8 * K, Math.round((BATCHES_AT_SCALE_1 * scale) / K) * K);
  const records = batches * B;
  const ceiling = (K * B) / ((L0_MS + PER_RECORD_MS * B) / 1000);
  const idealMs = (batches / K) * (L0_MS + PER_RECORD_MS * B);

  const dir = await scratchDir('ceiling');
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
    const summary = await runTransform(
      { input: { uri: fileUri(join(dir.path, 'in') + '/') }, output: { uri: fileUri(join(dir.path, 'out') + '/') }, request, transport },
      {
        observer: {
          invocation: (event) => events.push({ ...event, at: performance.now() }),
          count: (delta) => {
            if (delta.bytesOut !== undefined) lastWrite = performance.now();
          },
        },
      },
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
      },
      notes: ['ratio = records ÷ runTransform wall time (listing, reading, writing and complete() included) ÷ ceiling'],
      durationS: round((performance.now() - started) / 1000, 1),
    };
  } finally {
    await model?.stop();
    await dir.remove();
  }
}
