/**
 * A run of complete records lying back to back in one buffer. Splitters hand records over in
 * blocks rather than one object per record, so the hot path allocates per chunk, not per record.
 */
export interface RecordBlock {
  /** Holds `count` framed records back to back. */
  buffer: Buffer;
  /**
   * `count + 1` positions into `buffer`: record i is `buffer[offsets[i], offsets[i + 1])`, framed
   * as in the input (a Line record keeps its '\n' or '\r\n' when it has one; RecordIO and TFRecord
   * records keep their headers, padding and CRCs).
   */
  offsets: Int32Array;
  count: number;
  /** Position of `buffer[0]` in the (decompressed) object, for error reports. */
  byteOffset: number;
}

/** Turns a stream of chunks into blocks of whole records. One splitter per object or shard. */
export interface RecordSplitter {
  /** Complete records found so far (often one block; two when a carried record was completed). */
  push(chunk: Buffer): RecordBlock[];
  /** Whatever is left; throws SplitError when the input ends inside a record. */
  end(): RecordBlock[];
  /** True once a shard splitter has emitted its last record: the caller stops reading. */
  readonly done: boolean;
}

/** A framing error: which record, where, and what was wrong. */
export class SplitError extends Error {
  override readonly name = 'SplitError';
  constructor(
    message: string,
    /** Index of the record that could not be read (records before it are good). */
    readonly recordIndex: number,
    /** Byte position in the (decompressed) object where the bad record starts. */
    readonly byteOffset: number,
  ) {
    super(message);
  }
}
