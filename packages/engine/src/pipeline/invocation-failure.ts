import { ModelInvocationError } from '../model/invoke.js';
import { CountMismatchError, type RecordFailure } from './response.js';

/** How a failed invocation counts: against its records, or against the whole object. */
export interface InvocationFailure {
  /**
   * True when the records may be to blame (an HTTP error status, a timeout, a wrong line count):
   * the placeholder policy then isolates and replaces them. False when the model could not be
   * reached at all: replacing every record with a placeholder would hide an outage.
   */
  recordLevel: boolean;
  /**
   * True when halving the batch can find the records to blame (the model refused or choked on
   * some of them). False for a wrong line count: that is the model mishandling batches, and
   * retrying smaller ones would only hide it.
   */
  isolatable: boolean;
  message: string;
  failure: Omit<RecordFailure, 'recordIndex' | 'byteOffset'>;
}

export function describeInvocationFailure(error: unknown): InvocationFailure {
  if (error instanceof CountMismatchError) {
    return { recordLevel: true, isolatable: false, message: error.message, failure: { reason: error.message } };
  }
  if (error instanceof ModelInvocationError) {
    const recordLevel = typeof error.status === 'number' || error.status === 'timeout';
    return {
      recordLevel,
      isolatable: recordLevel,
      message: error.message,
      failure: { reason: error.message, status: error.status, ...(error.bodyHead ? { response: error.bodyHead } : {}) },
    };
  }
  const message = (error as Error)?.message ?? String(error);
  return { recordLevel: false, isolatable: false, message, failure: { reason: message } };
}
