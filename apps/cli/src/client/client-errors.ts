import { SluiceError } from '@sluice/sdk';
import { EXIT } from '../exit-codes.js';
import { flagForField } from './flag-names.js';

/** A failed call to the service, as the CLI reports it. */
export interface ServiceFailure {
  code: string;
  message: string;
  issues: Array<{ path: string; flag?: string; message: string }>;
  exitCode: number;
}

/**
 * What went wrong talking to the service at `url`, or undefined when `error` did not come from
 * such a call. A request the service rejected as invalid is a usage error (exit 2), with each
 * field named by its flag where there is one; anything else it refused (not found, conflict...) is
 * a failure (exit 1), as is a service that cannot be reached. The SDK tells what happened; the
 * messages here say what to do in the CLI's terms (SLUICE_URL, SLUICE_TOKEN, flags).
 */
export function describeServiceFailure(error: unknown, url: string, token?: string): ServiceFailure | undefined {
  if (!(error instanceof SluiceError)) return undefined;
  if (error.code === 'UNREACHABLE') {
    return {
      code: error.code,
      message: `cannot reach Sluice at ${url}${error.reason ? ` (${error.reason})` : ''}: is \`sluice up\` running? set SLUICE_URL to where the service runs`,
      issues: [],
      exitCode: EXIT.failed,
    };
  }
  if (error.code === 'BAD_RESPONSE') {
    return { code: error.code, message: `the server at ${url} did not answer as a Sluice service does: ${error.reason}`, issues: [], exitCode: EXIT.failed };
  }
  const issues = error.issues.map((issue) => {
    const flag = flagForField(error.procedure, issue.path);
    return flag ? { ...issue, flag } : issue;
  });
  // The service says what is wrong with a token it was sent; without one, say that none was.
  const message = error.code === 'UNAUTHORIZED' && !token ? `SLUICE_TOKEN is not set and the service at ${url} requires sign-in: create a token with \`sluice tokens create --email you@example.com\` and set SLUICE_TOKEN` : error.message;
  return { code: error.code, message, issues, exitCode: error.code === 'VALIDATION' ? EXIT.usage : EXIT.failed };
}

/** The failure for a person: the message, then each field issue under the flag that sets it. */
export function formatServiceFailure(failure: ServiceFailure): string {
  const justTheIssues = failure.issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  const lines = failure.issues.length === 0 || failure.message !== justTheIssues ? [`sluice: ${failure.message}`] : ['sluice: the request is not valid:'];
  for (const issue of failure.issues) lines.push(`  ${issue.flag ?? issue.path}: ${issue.message}`);
  return lines.join('\n');
}
