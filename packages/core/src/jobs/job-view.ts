import type { JobStatus, JobView } from '@sluice/contracts';
import type { TransformJobRow } from '@sluice/db';
import { captureLocation } from '../capture/capture-job.js';

/** A job as the API shows it. `liveBytesIn` adds what running tasks have read so far. */
export function toJobView(row: TransformJobRow, live: { bytesIn: number; recordsOut: number } = { bytesIn: 0, recordsOut: 0 }, now = new Date()): JobView {
  const bytesIn = row.bytesIn + live.bytesIn;
  return {
    name: row.name,
    arn: row.arn,
    status: row.status as JobStatus,
    failureReason: row.failureReason,
    modelName: row.modelName,
    input: { uri: row.inputUri, dataType: row.dataType as JobView['input']['dataType'] },
    output: { uri: row.outputUri },
    transform: row.request,
    resolvedParameters: row.resolvedParams,
    instanceCount: row.instanceCount,
    instanceType: row.instanceType,
    environment: row.environment,
    tags: row.tags,
    extra: row.extra,
    shardSizeMB: row.options.shardSizeMB ?? null,
    clonedFrom: row.clonedFrom,
    run: row.run,
    createdBy: row.createdBy,
    creationTime: row.creationTime,
    transformStartTime: row.transformStartTime,
    transformEndTime: row.transformEndTime,
    lastModifiedTime: row.lastModifiedTime,
    progress: {
      objectsTotal: row.objectsTotal,
      objectsCompleted: row.objectsCompleted,
      objectsFailed: row.objectsFailed,
      bytesTotal: row.bytesTotal,
      bytesIn,
      bytesOut: row.bytesOut,
      recordsIn: row.recordsIn,
      recordsOut: row.recordsOut + live.recordsOut,
      recordsFailed: row.recordsFailed,
      etaSeconds: eta(row, bytesIn, now),
    },
    capture: captureLocation(row),
  };
}

/** Remaining bytes at the rate so far; null before there is a rate or after the end. */
function eta(row: TransformJobRow, bytesIn: number, now: Date): number | null {
  if (row.status !== 'InProgress' || !row.transformStartTime || bytesIn <= 0 || row.bytesTotal <= 0) return null;
  const elapsed = (now.getTime() - row.transformStartTime.getTime()) / 1000;
  if (elapsed <= 0) return null;
  return Math.max(0, Math.round(((row.bytesTotal - bytesIn) * elapsed) / bytesIn));
}
