/**
 * Transform job names as the SageMaker Python SDK makes them (sagemaker.utils.name_from_base), so
 * that jobs started from TypeScript sort and read like the ones teams already have.
 */

/** SageMaker's limit on TransformJobName. */
export const MAX_JOB_NAME_LENGTH = 63;

/** `yyyy-mm-dd-HH-MM-SS-mmm` in UTC, as sagemaker_timestamp(). */
export function sagemakerTimestamp(at: Date = new Date()): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return [
    at.getUTCFullYear(),
    pad(at.getUTCMonth() + 1),
    pad(at.getUTCDate()),
    pad(at.getUTCHours()),
    pad(at.getUTCMinutes()),
    pad(at.getUTCSeconds()),
    pad(at.getUTCMilliseconds(), 3),
  ].join('-');
}

/**
 * `<base>-<timestamp>`, the base cut so that the whole is at most 63 characters: the timestamp
 * is what makes the name unique, so it is the base that gives way.
 */
export function nameFromBase(base: string, at: Date = new Date()): string {
  const timestamp = sagemakerTimestamp(at);
  return `${base.slice(0, MAX_JOB_NAME_LENGTH - timestamp.length - 1)}-${timestamp}`;
}

const GENERATED_SUFFIX = /^(.+)-(\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-\d{3})$/;

/** The base a generated name was made from (`my-model-2024-...-123` → `my-model`); other names as they are. */
export function baseFromName(name: string): string {
  return GENERATED_SUFFIX.exec(name)?.[1] ?? name;
}
