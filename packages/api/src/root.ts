import { jobsRouter } from './routers/jobs/router.js';
import { logsRouter } from './routers/logs/router.js';
import { metricsRouter } from './routers/metrics/router.js';
import { modelsRouter } from './routers/models/router.js';
import { workersRouter } from './routers/workers/router.js';
import { comparisonsRouter } from './routers/comparisons/router.js';
import { accountRouter } from './routers/account/router.js';
import { adminRouter } from './routers/admin/router.js';
import { router } from './trpc.js';

export const appRouter = router({
  models: modelsRouter,
  jobs: jobsRouter,
  logs: logsRouter,
  metrics: metricsRouter,
  workers: workersRouter,
  comparisons: comparisonsRouter,
  account: accountRouter,
  admin: adminRouter,
});

/** The API's type, for clients (the CLI, the SDK, the dashboard): import it with `import type`. */
export type AppRouter = typeof appRouter;
