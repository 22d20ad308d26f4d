import type { Command } from 'commander';
import { integer } from '../flag-parsers.js';

interface WorkerFlags {
  pool: string[];
  concurrency: number;
}

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('Run a worker in the foreground until Ctrl-C: it takes tasks of its pools from the database and runs them.')
    .option('--pool <name...>', 'the pools (InstanceType names) to serve', ['default'])
    .option('--concurrency <n>', 'tasks run at once, across the pools', integer('--concurrency', 1, 256), 2)
    .action(async (flags: WorkerFlags) => {
      const [{ storageConfigFromEnv }, { startWorker }, { prepareDatabase }, { untilStopped }] = await Promise.all([
        import('@sluice/engine'),
        import('@sluice/worker'),
        import('../service/database.js'),
        import('../service/until-stopped.js'),
      ]);
      const say = (line: string) => process.stderr.write(`sluice worker: ${line}\n`);
      const storage = storageConfigFromEnv();
      const database = await prepareDatabase();
      try {
        const worker = await startWorker({ databaseUrl: database.url, pools: flags.pool, concurrency: flags.concurrency, storage, log: say });
        say(`database: ${database.where}`);
        await untilStopped(say);
        await worker.stop();
      } finally {
        await database.stop();
      }
    });
}
