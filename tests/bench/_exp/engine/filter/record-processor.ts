/**
 * SageMaker's DataProcessing applied to one record at a time: InputFilter before the model,
 * JoinSource and OutputFilter after it. Built once per job by `compileDataProcessing`; only used
 * when DataProcessing asks for something other than the identity, so the plain path never pays.
 */
export interface RecordProcessor {
  /** The record as the model should receive it (InputFilter applied), without a line terminator. */
  toModelInput(record: Buffer): Buffer;
  /** The record as it should be written: the prediction joined with the input (JoinSource=Input) and OutputFilter applied. No terminator. */
  toOutput(input: Buffer, prediction: Buffer): Buffer;
}

/** A record that DataProcessing could not handle (bad JSON, a column index out of range...). */
export class RecordProcessingError extends Error {
  override readonly name = 'RecordProcessingError';
}
