import { ZCloneJobSchema, type JobView } from '@sluice/contracts';
import type { Actor, Core } from '../context.js';
import { parseInput } from '../parse-input.js';
import { createJob, jobAsRequest } from './create-job.js';
import { findJob } from './find-job.js';

/** A new job with the same parameters (and any overrides), remembering what it was cloned from. */
export async function cloneJob(core: Core, actor: Actor, input: unknown): Promise<JobView> {
  const { name, newName, overrides } = parseInput(ZCloneJobSchema, input);
  const source = await findJob(core, actor, name);
  const request = { ...jobAsRequest(source), ...overrides, name: newName ?? timestampedName(name) };
  return createJob(core, actor, request, { clonedFrom: name });
}

export function timestampedName(base: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `${base.slice(0, 63 - stamp.length - 1).replace(/-+$/, '')}-${stamp}`;
}
