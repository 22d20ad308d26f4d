import { EXIT } from '../exit-codes.js';

/**
 * Resolves on the first SIGINT or SIGTERM, so a foreground service can stop cleanly; a second
 * one exits at once (workers' leases then lapse and other workers rerun their tasks).
 */
export function untilStopped(say: (line: string) => void): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.once('SIGINT', () => process.exit(EXIT.interrupted));
      process.once('SIGTERM', () => process.exit(EXIT.interrupted));
      say(`${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping (again to force)`);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
