import { recordResolvedParams, shardParts, type ClaimedTask, type Core, type TaskOutcome } from '@sluice/core';
import { openStore, prepareTransform, transformObject, type EngineObserver, type ModelTransport } from '@sluice/engine';

/**
 * Runs one transform task with the engine: the object, or its shard, into the task's output.
 * The job's parameters are decided with SageMaker's precedence (job > /execution-parameters >
 * defaults) by the first task to run, asking the model once, and kept on the job so that every
 * worker runs the same ones.
 */
export async function runTransformTask(
  core: Core,
  claimed: ClaimedTask,
  transport: ModelTransport,
  observer: EngineObserver,
  signal: AbortSignal,
): Promise<TaskOutcome> {
  const { task, object, job } = claimed;
  const decided = job.resolvedParams ?? undefined;
  // The job's start, not this task's: every record of the job carries the same SageMakerInferenceTime.
  const prepared = await prepareTransform(job.request, transport, { decided, signal, ...(job.transformStartTime ? { startTime: job.transformStartTime } : {}) });
  if (!decided) await recordResolvedParams(core, job.id, prepared.params);
  const input = openStore(object.uri, core.storage);
  const output = openStore(task.outputUri, core.storage);
  const result = await transformObject(
    {
      input: {
        store: input.store,
        key: input.key,
        size: object.size,
        ...(task.rangeStart !== null && task.rangeEnd !== null ? { range: { start: task.rangeStart, end: task.rangeEnd } } : {}),
      },
      output,
    },
    { ...prepared, transport, observer, signal },
  );
  return {
    status: result.status,
    records: result.records,
    recordsFailed: result.recordsFailed,
    bytesIn: result.bytesIn,
    bytesOut: result.bytesOut,
    ...(result.errors ? { errorsUri: result.errors } : {}),
    ...(result.failure ? { failure: result.failure } : {}),
  };
}

/**
 * Joins a sharded object's parts, in shard order, into its `.out`, and their errors files into one
 * `.out.errors.jsonl` whose record indexes count from the start of the object. Then removes the parts.
 */
export async function runAssembleTask(core: Core, claimed: ClaimedTask, signal: AbortSignal): Promise<TaskOutcome> {
  const { task, job } = claimed;
  const parts = await shardParts(core, claimed);
  const kmsKeyId = job.request.kmsKeyId;
  const output = openStore(task.outputUri, core.storage);
  const writer = output.store.createWriter(output.key, { kmsKeyId, signal, expectedSize: claimed.object.size });
  const errorsUri = parts.some((p) => p.errorsUri) ? `${task.outputUri}.errors.jsonl` : undefined;
  const errorsOutput = errorsUri ? openStore(errorsUri, core.storage) : undefined;
  const errorsWriter = errorsOutput?.store.createWriter(errorsOutput.key, { kmsKeyId, signal, contentType: 'application/jsonlines' });
  let bytesOut = 0;
  try {
    let recordsBefore = 0;
    for (const part of parts) {
      const source = openStore(part.uri, core.storage);
      for await (const chunk of await source.store.read(source.key, undefined, signal)) {
        await writer.write(chunk as Buffer);
        bytesOut += (chunk as Buffer).length;
      }
      if (part.errorsUri && errorsWriter) {
        const errors = openStore(part.errorsUri, core.storage);
        const chunks: Buffer[] = [];
        for await (const chunk of await errors.store.read(errors.key, undefined, signal)) chunks.push(chunk as Buffer);
        const lines = Buffer.concat(chunks).toString('utf8').split('\n').filter(Boolean);
        const shifted = lines.map((line) => {
          const entry = JSON.parse(line) as { recordIndex: number };
          return JSON.stringify({ ...entry, recordIndex: entry.recordIndex + recordsBefore });
        });
        await errorsWriter.write(Buffer.from(shifted.map((l) => `${l}\n`).join('')));
      }
      recordsBefore += part.records;
    }
    await errorsWriter?.complete();
    await writer.complete();
  } catch (error) {
    await Promise.allSettled([writer.abort(), errorsWriter?.abort()]);
    return { status: signal.aborted ? 'Stopped' : 'Failed', records: 0, recordsFailed: 0, bytesIn: 0, bytesOut: 0, failure: { message: `assembling shards into ${task.outputUri}: ${(error as Error).message}` } };
  }
  // The parts are no longer needed; a failure to remove one leaves clutter, not wrong output.
  for (const part of parts) {
    for (const uri of [part.uri, part.errorsUri]) {
      if (!uri) continue;
      const { store, key } = openStore(uri, core.storage);
      await store.delete(key).catch(() => undefined);
    }
  }
  return { status: 'Completed', records: 0, recordsFailed: 0, bytesIn: 0, bytesOut, ...(errorsUri ? { errorsUri } : {}) };
}
