import type { TransformJobRow } from '@sluice/db';
import { TRANSFORM_DEFAULTS as D, type TransformParams } from '@sluice/params';

/** A job's parameters that decide how its input is split and how its outputs can be read back. */
type RecordShape = Pick<TransformParams, 'splitType' | 'compressionType' | 'assembleWith'>;

export function recordShape(job: Pick<TransformJobRow, 'request'>): RecordShape {
  const { splitType = D.splitType, compressionType = D.compressionType, assembleWith = D.assembleWith } = job.request;
  return { splitType, compressionType, assembleWith };
}

/**
 * Why these jobs' outputs cannot be compared record by record, or undefined when they can.
 *
 * The comparison reads each input object split into records as the jobs split it, beside each
 * variant's `.out` read line by line: record i of the input is line i of every output. That holds
 * only when
 * - the job wrote one line per record: AssembleWith Line (with None, answers are concatenated and
 *   records cannot be told apart);
 * - records are smaller than objects: SplitType None makes the whole object one record whose
 *   answer may span any number of lines (and would have to be held whole), so it is refused;
 * - every job split its input the same way (SplitType and CompressionType equal);
 * - every job wrote to its own output location.
 */
export function incomparableReason(jobs: Array<Pick<TransformJobRow, 'name' | 'request' | 'outputUri'>>): string | undefined {
  // Jobs writing to one place (a rerun, two models sharing an output) would read the same `.out`
  // objects back and agree on everything.
  for (const [i, a] of jobs.entries()) {
    for (const b of jobs.slice(i + 1)) {
      const [x, y] = [withSlash(a.outputUri), withSlash(b.outputUri)];
      if (x.startsWith(y) || y.startsWith(x)) {
        return `jobs '${a.name}' (${a.outputUri}) and '${b.name}' (${b.outputUri}) wrote to the same output location, so their outputs cannot be told apart; compare jobs that wrote to separate locations`;
      }
    }
  }
  for (const job of jobs) {
    const shape = recordShape(job);
    if (shape.assembleWith !== 'Line') {
      return `job '${job.name}' ran with AssembleWith ${shape.assembleWith}: its answers are concatenated and its output cannot be read record by record; compare jobs run with AssembleWith Line`;
    }
    if (shape.splitType === 'None') {
      return `job '${job.name}' ran with SplitType None: each object is one record whose answer may span many lines, so its output cannot be compared record by record; compare jobs run with SplitType Line, RecordIO or TFRecord`;
    }
  }
  const [first, ...rest] = jobs;
  for (const job of rest) {
    const a = recordShape(first!);
    const b = recordShape(job);
    if (a.splitType !== b.splitType || a.compressionType !== b.compressionType) {
      return `jobs '${first!.name}' (SplitType ${a.splitType}, CompressionType ${a.compressionType}) and '${job.name}' (SplitType ${b.splitType}, CompressionType ${b.compressionType}) split their input differently, so their records do not line up`;
    }
  }
  return undefined;
}

function withSlash(uri: string): string {
  return uri.endsWith('/') ? uri : `${uri}/`;
}
