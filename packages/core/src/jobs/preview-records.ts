import { and, asc, eq } from 'drizzle-orm';
import { ZPreviewRecordsSchema, type RecordsPreview } from '@sluice/contracts';
import { jobObjects } from '@sluice/db';
import { openStore } from '@sluice/engine';
import { TRANSFORM_DEFAULTS as D } from '@sluice/params';
import type { Actor, Core } from '../context.js';
import { parseInput } from '../parse-input.js';
import { findJob } from './find-job.js';
import { readFirstRecords } from './read-first-records.js';

/**
 * The first records of the job's first completed object beside the first lines of its output.
 * Only Line-split jobs assembled with Line pair up record for record; for others the reason comes
 * back instead. Null until an object has completed. Reads are bounded like previewInput's.
 */
export async function previewRecords(core: Core, actor: Actor, input: unknown): Promise<RecordsPreview> {
  const { name, limit } = parseInput(ZPreviewRecordsSchema, input);
  const job = await findJob(core, actor, name);
  const { splitType = D.splitType, assembleWith = D.assembleWith, compressionType = D.compressionType } = job.request;
  if (splitType !== 'Line' || assembleWith !== 'Line') {
    return { unsupported: 'Records are paired with outputs only for jobs with SplitType Line and AssembleWith Line.' };
  }
  const [object] = await core.db
    .select({ uri: jobObjects.uri, size: jobObjects.size, output: jobObjects.outputUri })
    .from(jobObjects)
    .where(and(eq(jobObjects.jobId, job.id), eq(jobObjects.status, 'Completed')))
    .orderBy(asc(jobObjects.id))
    .limit(1);
  if (!object) return null;
  const inputAt = openStore(object.uri, core.storage);
  const outputAt = openStore(object.output, core.storage);
  const outputInfo = await outputAt.store.head(outputAt.key);
  const [inputs, outputs] = await Promise.all([
    readFirstRecords(inputAt.store, inputAt.key, object.size, { splitType: 'Line', compressionType, limit }),
    // Outputs are written uncompressed, one line per record in input order (AssembleWith Line).
    readFirstRecords(outputAt.store, outputAt.key, outputInfo.size, { splitType: 'Line', compressionType: 'None', limit }),
  ]);
  return { object: object.uri, output: object.output, pairs: inputs.records.map((record, i) => ({ input: record, output: outputs.records[i] ?? null })) };
}
