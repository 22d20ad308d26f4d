// A worker process: migrates the database, then takes tasks for its pools until SIGINT/SIGTERM,
// when it hands its running tasks back (others rerun them) and disconnects.
import { migrateDatabase, resolveDatabaseUrl } from '@sluice/db';
import { storageConfigFromEnv } from '@sluice/engine';
import { startWorker, workerEnv, workerTuning } from '@sluice/worker';

const say = (line: string) => process.stderr.write(`sluice-worker: ${line}\n`);

async function main(): Promise<void> {
  const tuning = workerTuning(workerEnv(process.env));
  const storage = storageConfigFromEnv(process.env);
  const database = await resolveDatabaseUrl({ env: process.env });
  await migrateDatabase(database.url);
  const worker = await startWorker({ databaseUrl: database.url, storage, ...tuning, log: say });

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    // A second signal means "now": the leases of unfinished tasks lapse and other workers rerun them.
    if (stopping) process.exit(130);
    stopping = true;
    say(`${signal}: handing back running tasks and stopping (again to force)`);
    void worker
      .stop()
      .then(() => database.stop())
      .then(
        () => process.exit(0),
        (error: Error) => {
          say(`did not stop cleanly: ${error.message}`);
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: Error) => {
  say(error.message);
  process.exit(1);
});
