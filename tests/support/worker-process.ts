// A worker process for the service tests, started as `node --import tsx --conditions=@sluice/source support/worker-process.ts`
// with DATABASE_URL and SLUICE_* in its environment: the same runtime `sluice worker` runs.
import { startWorker, workerOptions, workerSettings } from '@sluice/worker';

const settings = workerSettings(process.env);
const worker = await startWorker({
  ...workerOptions(settings, settings.database.url!),
  pollingIntervalSeconds: 0.5,
  log: (line) => process.stdout.write(`${line}\n`),
});
const stop = () => void worker.stop().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
