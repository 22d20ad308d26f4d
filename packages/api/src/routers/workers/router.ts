import { router } from '../../trpc.js';
import { listWorkersRoute } from './list-workers.js';

export const workersRouter = router({ list: listWorkersRoute });
