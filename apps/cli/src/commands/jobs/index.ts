import type { Command } from 'commander';
import { registerCloneJob } from './clone.js';
import { registerCreateJob } from './create.js';
import { registerDescribeJob } from './describe.js';
import { registerListJobs } from './list.js';
import { registerJobLogs } from './logs.js';
import { registerJobObjects } from './objects.js';
import { registerRetryJob } from './retry.js';
import { registerStopJob } from './stop.js';
import { registerWaitJob } from './wait.js';

export function registerJobsCommands(program: Command): void {
  const jobs = program.command('jobs').description('Start, watch and manage transform jobs (on the service at SLUICE_URL).');
  registerCreateJob(jobs);
  registerListJobs(jobs);
  registerDescribeJob(jobs);
  registerWaitJob(jobs);
  registerJobLogs(jobs);
  registerJobObjects(jobs);
  registerStopJob(jobs);
  registerRetryJob(jobs);
  registerCloneJob(jobs);
}
