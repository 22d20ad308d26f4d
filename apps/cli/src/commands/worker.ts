import type { Command } from 'commander';
import { integer } from '../flag-parsers.js';

interface WorkerFlags {
  pool?: string[];
  concurrency?: number;
}

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('Run a worker in the foreground until Ctrl-C: it takes tasks of its pools from the database and runs them.')
    .option('--pool <name...>', 'the pools (InstanceType names) to serve (default: SLUICE_POOLS, else default)')
    .option('--concurrency <n>', 'tasks run at once, across the pools (default: SLUICE_WORKER_CONCURRENCY, else 2)', integer('--concurrency', 1, 256))
    .action(async (flags: WorkerFlags) => {
      const [{ startWorker, workerOptions, workerSettings }, { prepareDatabase }, { untilStopped }] = await Promise.all([
        import('@sluice/worker'),
        import('../service/database.js'),
        import('../service/until-stopped.js'),
      ]);
      const say = (line: string) => process.stderr.write(`sluice worker: ${line}\n`);
      // Flags win over the environment (SLUICE_POOLS, SLUICE_WORKER_CONCURRENCY, SLUICE_TASK_LEASE_SECONDS...).
      const settings = workerSettings(process.env);
      const database = await prepareDatabase(settings.database);
      try {
        const worker = await startWorker({
          ...workerOptions(settings, database.url),
          ...(flags.pool ? { pools: flags.pool } : {}),
          ...(flags.concurrency ? { concurrency: flags.concurrency } : {}),
          log: say,
        });
        say(`database: ${database.where}`);
        await untilStopped(say);
        await worker.stop();
      } finally {
        await database.stop();
      }
    });
}
