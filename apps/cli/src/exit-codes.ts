/** What `sluice` exits with: scripts branch on these. */
export const EXIT = {
  /** Everything asked for succeeded. */
  ok: 0,
  /** The command ran, and something failed (an object, a job, a request to the service). */
  failed: 1,
  /** The command line is wrong: a flag is missing, unknown or has a bad value. Nothing ran. */
  usage: 2,
  /** Interrupted by Ctrl-C (128 + SIGINT). */
  interrupted: 130,
} as const;

/** A command-line mistake found after parsing (e.g. two flags that cannot go together). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
