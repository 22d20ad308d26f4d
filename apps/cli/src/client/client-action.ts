import type { Command } from 'commander';
import { SluiceClient } from '@sluice/sdk';
import { EXIT, UsageError } from '../exit-codes.js';
import { describeServiceFailure, formatServiceFailure } from './client-errors.js';
import { serviceSettingsFromEnv } from './service-settings.js';

export interface ClientContext {
  /** The SDK's client, connected as SLUICE_URL and SLUICE_TOKEN say. */
  client: SluiceClient;
  /** The service's URL, for messages. */
  url: string;
  /** --json: machine-readable output on stdout, nothing else there. */
  json: boolean;
}

/** Every client command takes --json. */
export interface JsonFlag {
  json?: boolean;
}

/**
 * A commander action for a command that calls the service: connects from SLUICE_URL and
 * SLUICE_TOKEN, runs `run` with the positional arguments and flags, and turns what can go wrong
 * into a message and an exit code. With --json a failure is also printed as `{"error": ...}`.
 */
export function clientAction<Flags extends JsonFlag, Args extends string[] = []>(
  run: (context: ClientContext, flags: Flags, ...args: Args) => Promise<number | void>,
) {
  return async (...received: unknown[]): Promise<void> => {
    const command = received[received.length - 1] as Command;
    const flags = received[received.length - 2] as Flags;
    const args = received.slice(0, -2) as Args;
    const json = flags.json === true;
    let url = '';
    let token: string | undefined;
    try {
      const settings = serviceSettingsFromEnv();
      url = settings.url;
      token = settings.token;
      process.exitCode = (await run({ client: new SluiceClient(settings), url, json }, flags, ...args)) ?? EXIT.ok;
    } catch (error) {
      if (error instanceof UsageError) command.error(`error: ${error.message}`, { exitCode: EXIT.usage });
      const failure = describeServiceFailure(error, url, token);
      if (!failure) throw error;
      if (json) process.stdout.write(`${JSON.stringify({ error: { code: failure.code, message: failure.message, issues: failure.issues } })}\n`);
      process.stderr.write(`${formatServiceFailure(failure)}\n`);
      process.exitCode = failure.exitCode;
    }
  };
}

/** Prints `value` as one JSON document on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
