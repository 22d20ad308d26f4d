import type { TransformJobRow } from '@sluice/db';
import { bareRecord, createSplitter, openStore, StorageError, type SplitType } from '@sluice/engine';
import type { Core } from '../context.js';
import { readBounded } from './bounded-read.js';
import { recordShape } from './comparable-jobs.js';
import type { ComparisonTally } from './comparison-tally.js';
import { RecordCursor } from './record-cursor.js';

/** A reason the comparison cannot be computed, for the user: which job, object or record, and what to change. */
export class ComparisonFailure extends Error {
  override readonly name = 'ComparisonFailure';
}

export interface ObjectToCompare {
  relativeKey: string;
  inputUri: string;
  /** The input's ETag in the snapshot: the object must not have changed since the jobs read it. */
  etag: string;
  /** Each variant's `.out`, in variant order. */
  outputUris: string[];
}

/**
 * Reads one input object, split into records as the jobs split it (decompressed as they did), and
 * each variant's output line by line, in lockstep: record i of the input beside line i of every
 * output, handed to the tally. Records are taken in runs as long as every stream has them ready,
 * so the loop awaits per chunk, not per record, and holds only the chunks being read. A variant
 * whose output has a different number of lines than the input has records fails the comparison,
 * naming the object, the job and both counts.
 */
export async function compareObject(core: Core, object: ObjectToCompare, jobs: TransformJobRow[], tally: ComparisonTally): Promise<void> {
  const { splitType, compressionType } = recordShape(jobs[0]!);
  const inputInfo = await head(core, object.inputUri);
  if (inputInfo.etag !== object.etag) {
    throw new ComparisonFailure(`input object '${object.relativeKey}' (${object.inputUri}) changed after the jobs read it (ETag ${object.etag} then, ${inputInfo.etag} now): its records may no longer be the ones the variants answered`);
  }
  const input = new RecordCursor(await readBounded(object.inputUri, core.storage, { size: inputInfo.size, gzip: compressionType === 'Gzip' }), createSplitter(splitType as SplitType));
  const outputs: RecordCursor[] = [];
  try {
    for (const [v, uri] of object.outputUris.entries()) {
      const { size } = await head(core, uri).catch((error: unknown) => {
        if (error instanceof StorageError && error.code === 'NotFound') {
          throw new ComparisonFailure(`job '${jobs[v]!.name}' (variant ${v + 1}) has no output for '${object.relativeKey}' at ${uri}: it was removed or moved after the job ended; run the job again (retry) or compare jobs whose outputs are in place`);
        }
        throw error;
      });
      outputs.push(new RecordCursor(await readBounded(uri, core.storage, { size }), createSplitter('Line')));
    }
    const cursors = [input, ...outputs];
    const framedOutputs = new Array<Buffer>(outputs.length);
    for (;;) {
      const ready = await Promise.all(cursors.map((c) => c.available > 0 || c.fill()));
      const live = ready.filter(Boolean).length;
      if (live === 0) return;
      if (live < cursors.length) throw await countMismatch(object, jobs, input, outputs);
      let run = input.available;
      for (const o of outputs) run = Math.min(run, o.available);
      for (let i = 0; i < run; i++) {
        const index = input.taken;
        const record = bareRecord(splitType as SplitType, input.take());
        for (let v = 0; v < outputs.length; v++) framedOutputs[v] = bareRecord('Line', outputs[v]!.take());
        tally.add(object.relativeKey, index, record, framedOutputs);
      }
    }
  } finally {
    input.close();
    for (const o of outputs) o.close();
  }
}

async function head(core: Core, uri: string): Promise<{ size: number; etag: string }> {
  const { store, key } = openStore(uri, core.storage);
  return store.head(key);
}

/** Some streams ended before others: count what each holds, for a message with every number. */
async function countMismatch(object: ObjectToCompare, jobs: TransformJobRow[], input: RecordCursor, outputs: RecordCursor[]): Promise<ComparisonFailure> {
  const inputRecords = input.taken + (await input.countRest());
  const wrong: string[] = [];
  for (const [v, output] of outputs.entries()) {
    const lines = output.taken + (await output.countRest());
    if (lines !== inputRecords) wrong.push(`job '${jobs[v]!.name}' (variant ${v + 1}) wrote ${lines} output line${lines === 1 ? '' : 's'}`);
  }
  return new ComparisonFailure(
    `object '${object.relativeKey}' has ${inputRecords} input record${inputRecords === 1 ? '' : 's'} but ${wrong.join(' and ')}: ` +
      'outputs can only be compared with one output line per input record (a model that answers a different number of lines per mini-batch, or an output changed after the job ended)',
  );
}
