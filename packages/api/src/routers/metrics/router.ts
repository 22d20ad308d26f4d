import { router } from '../../trpc.js';
import { getJobMetricsRoute } from './get-job-metrics.js';

export const metricsRouter = router({ get: getJobMetricsRoute });
