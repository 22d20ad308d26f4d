import { computeComparison, type ComparisonMessage, type Core } from '@sluice/core';

/**
 * The `compare` queue's handler: computes one comparison (core's computeComparison streams every
 * variant's outputs in lockstep and stores the figures). What the comparison cannot get past
 * (snapshots that differ, a record count mismatch, a bad labelPath) ends it Failed with the
 * reason; anything else is thrown, and pg-boss retries the message under the queue's policy.
 */
export async function runCompare(core: Core, { comparisonId }: ComparisonMessage): Promise<void> {
  await computeComparison(core, comparisonId);
}
