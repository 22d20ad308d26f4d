import { router } from '../../trpc.js';
import { cloneJobRoute } from './clone-job.js';
import { createJobRoute } from './create-job.js';
import { describeJobRoute } from './describe-job.js';
import { listJobObjectsRoute } from './list-job-objects.js';
import { listJobsRoute } from './list-jobs.js';
import { previewInputRoute } from './preview-input.js';
import { previewRecordsRoute } from './preview-records.js';
import { retryFailedRoute } from './retry-failed.js';
import { stopJobRoute } from './stop-job.js';

export const jobsRouter = router({
  create: createJobRoute,
  describe: describeJobRoute,
  list: listJobsRoute,
  stop: stopJobRoute,
  retryFailed: retryFailedRoute,
  clone: cloneJobRoute,
  objects: listJobObjectsRoute,
  previewInput: previewInputRoute,
  previewRecords: previewRecordsRoute,
});
