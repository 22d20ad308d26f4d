export type InputErrorCode = 'NoObjects' | 'InvalidManifest';

/**
 * The job's input is unusable as given: nothing under the prefix, or a manifest that is not one.
 * Storage failures (missing bucket or object, access denied) stay StorageErrors.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    readonly code: InputErrorCode,
    /** The input URI or manifest URI at fault. */
    readonly uri: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
