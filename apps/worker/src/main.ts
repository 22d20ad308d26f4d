// A worker process: reads its settings once, migrates the database, then takes tasks for its
// pools until SIGINT/SIGTERM, when it hands its running tasks back (others rerun them) and disconnects.
import { migrateDatabase, openDatabase } from '@sluice/db';
import { startWorker, workerOptions, workerSettings } from '@sluice/worker';

const say = (line: string) => process.stderr.write(`sluice-worker: ${line}\n`);

async function main(): Promise<void> {
  // The only read of the environment: everything below gets what it needs from these settings.
  const settings = workerSettings(process.env);
  const database = await openDatabase(settings.database);
  await migrateDatabase(database.url);
  const worker = await startWorker({ ...workerOptions(settings, database.url), log: say });

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
