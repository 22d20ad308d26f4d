// A worker process for the service tests, started as `node --import tsx support/worker-process.ts`
// with DATABASE_URL and SLUICE_* in its environment: the same runtime `sluice worker` runs.
import { startWorker, workerEnv, workerTuning } from '@sluice/worker';
import { storageConfigFromEnv } from '@sluice/engine';

const worker = await startWorker({
  databaseUrl: process.env.DATABASE_URL!,
  storage: storageConfigFromEnv(),
  ...workerTuning(workerEnv()),
  pollingIntervalSeconds: 0.5,
  log: (line) => process.stdout.write(`${line}\n`),
});
const stop = () => void worker.stop().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
