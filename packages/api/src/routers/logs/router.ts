import { router } from '../../trpc.js';
import { listLogsRoute } from './list-logs.js';

export const logsRouter = router({ list: listLogsRoute });
