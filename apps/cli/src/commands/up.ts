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
    .option('--host <host>', 'address to listen on (anything but 127.0.0.1/localhost needs SLUICE_AUTH=required)', '127.0.0.1')
    .option('--workers <n>', `in-process workers, ${WORKER_CONCURRENCY} task slots each`, integer('--workers', 0, 64), 1)
    .action(async (flags: UpFlags) => {
      const { ensureLocalSecretKey, localSecretKey } = await import('@sluice/core');
      const { localServiceSettings } = await import('../service/settings.js');
      // Every setting is read here, once; a bad value stops `sluice up` before it starts anything.
      const settings = localServiceSettings(process.env);
      const { auth } = settings;
      // Local mode signs every request in as the local admin: only this machine may reach it.
      const { refuseLocalModeOffLoopback } = await import('@sluice/api');
      refuseLocalModeOffLoopback(flags.host, auth.mode, 'sluice up');
      // Secret model env values are sealed with SLUICE_SECRET_KEY; a local install gets a key file once.
      if (auth.mode === 'local' && !settings.secretKey) {
        const made = ensureLocalSecretKey(settings.database.home);
        if (made) process.stderr.write(`sluice: made a secret key for sealing secrets at ${made} (set SLUICE_SECRET_KEY to use your own)\n`);
        settings.secretKey = localSecretKey(settings.database.home);
      }
      // Next (the dashboard, served in this process) reads this itself.
      process.env.NEXT_TELEMETRY_DISABLED ??= '1';
      const { runLocalService } = await import('../service/local-service.js');
      await runLocalService({ ...flags, workerConcurrency: WORKER_CONCURRENCY, settings });
    });
}
