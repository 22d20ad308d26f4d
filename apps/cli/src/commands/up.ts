import type { Command } from 'commander';
import { integer } from '../flag-parsers.js';

interface UpFlags {
  port: number;
  host: string;
  workers: number;
}

/** Task slots of each in-process worker. */
const WORKER_CONCURRENCY = 2;

export function registerUpCommand(program: Command): void {
  program
    .command('up')
    .description('Run Sluice locally in one process until Ctrl-C: the database (embedded unless DATABASE_URL is set), the API and workers.')
    .option('--port <port>', 'port of the API', integer('--port', 0, 65535), 3000)
    .option('--host <host>', 'address to listen on (0.0.0.0 for every interface)', '127.0.0.1')
    .option('--workers <n>', `in-process workers, ${WORKER_CONCURRENCY} task slots each`, integer('--workers', 0, 64), 1)
    .action(async (flags: UpFlags) => {
      const { runLocalService } = await import('../service/local-service.js');
      await runLocalService({ ...flags, workerConcurrency: WORKER_CONCURRENCY });
    });
}
