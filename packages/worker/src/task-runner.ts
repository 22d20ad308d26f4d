import { claimTask, failJob, finishTask, releaseTask, type ClaimedTask, type Core, type TaskOutcome } from '@sluice/core';
import type { Limiter } from '@sluice/engine';
import { ModelStartError, type ModelRuntime } from './model-runtime.js';
import { runAssembleTask, runTransformTask } from './run-task.js';
import { WorkerStopping, type RunningTasks } from './running-tasks.js';
import type { Telemetry } from './telemetry.js';

export interface TaskRunnerParts {
  core: Core;
  workerId: string;
  telemetry: Telemetry;
  models: ModelRuntime;
  /** This worker's task slots, shared by every handler of every pool. */
  slots: Limiter;
  running: RunningTasks;
  isStopping: () => boolean;
  say: (line: string) => void;
}

/**
 * The run-task queue's work: a wake-up says "job X has tasks"; the handler claims and runs tasks
 * of the job, one slot each, until none is left for it. Claiming goes through the job service,
 * which enforces InstanceCount across the fleet.
 */
export function createTaskRunner(parts: TaskRunnerParts): (jobId: string) => Promise<void> {
  const { core, workerId, slots, isStopping } = parts;
  return async function runWakeUp(jobId: string): Promise<void> {
    while (!isStopping()) {
      const release = await slots.acquire();
      try {
        if (isStopping()) return;
        const claimed = await claimTask(core, jobId, workerId);
        if (!claimed) return;
        if (isStopping()) return await releaseTask(core, claimed, workerId);
        await runClaimedTask(parts, claimed);
      } finally {
        release();
      }
    }
  };
}

/** Runs one claimed task and reports its outcome, or hands it back when the worker is stopping. */
async function runClaimedTask({ core, workerId, telemetry, models, running, say }: TaskRunnerParts, claimed: ClaimedTask): Promise<void> {
  const { task, job, model } = claimed;
  const signal = running.add(claimed);
  let outcome: TaskOutcome;
  let release: (() => void) | undefined;
  try {
    if (task.kind === 'assemble') {
      outcome = await runAssembleTask(core, claimed, signal);
    } else {
      if (!model) throw new ModelStartError(`the model '${job.modelName}' of this job was deleted`);
      const acquired = await models.acquire(job, model, signal);
      release = acquired.release;
      outcome = await runTransformTask(core, claimed, acquired.transport, telemetry.observer(job.id, task.id), signal);
    }
  } catch (error) {
    if (error instanceof ModelStartError) {
      await failJob(core, job.id, error.message);
    }
    outcome = { status: signal.aborted ? 'Stopped' : 'Failed', records: 0, recordsFailed: 0, bytesIn: 0, bytesOut: 0, failure: { message: (error as Error).message } };
  } finally {
    release?.();
    running.delete(task.id);
    telemetry.taskEnded(task.id);
  }
  await telemetry.flush().catch((error: Error) => say(`telemetry: ${error.message}`));
  if (signal.reason instanceof WorkerStopping) {
    await releaseTask(core, claimed, workerId);
    return;
  }
  const { accepted } = await finishTask(core, claimed, workerId, outcome);
  if (!accepted) say(`task ${task.id} of ${job.name} ran elsewhere meanwhile; its result here is dropped`);
}
