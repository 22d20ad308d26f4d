import type { ClaimedTask } from '@sluice/core';

export interface RunningTask {
  claimed: ClaimedTask;
  abort: AbortController;
}

/** Why a running task was aborted: a stopped job ends it Stopped; a stopping worker hands it back. */
export class WorkerStopping extends Error {}

/** The tasks this worker runs now, each with the controller that aborts it. */
export class RunningTasks {
  private readonly tasks = new Map<number, RunningTask>();

  get size(): number {
    return this.tasks.size;
  }

  /** Records a task as running; its signal aborts it. */
  add(claimed: ClaimedTask): AbortSignal {
    const abort = new AbortController();
    this.tasks.set(claimed.task.id, { claimed, abort });
    return abort.signal;
  }

  delete(taskId: number): void {
    this.tasks.delete(taskId);
  }

  /** Aborts, with `why` as the reason, every running task that `match` picks and that is not aborted yet. */
  abort(match: (task: RunningTask) => boolean, why: Error): void {
    for (const task of this.tasks.values()) if (match(task) && !task.abort.signal.aborted) task.abort.abort(why);
  }

  claimed(): ClaimedTask[] {
    return [...this.tasks.values()].map(({ claimed }) => claimed);
  }
}
