import type { SplitType } from '../params.js';
import { type LineShard, bareLine, createLineSplitter } from './line.js';
import { createWholeObjectSplitter } from './none.js';
import type { RecordSplitter } from './record-block.js';
import { bareRecordIO, createRecordIOSplitter } from './recordio.js';
import { bareTFRecord, createTFRecordSplitter } from './tfrecord.js';

export { type RecordBlock, type RecordSplitter, SplitError } from './record-block.js';
export { type LineShard, type LineSplitterOptions, bareLine, createLineSplitter } from './line.js';
export { createWholeObjectSplitter } from './none.js';
export { RECORDIO_MAGIC, bareRecordIO, createRecordIOSplitter, encodeRecordIO } from './recordio.js';
export { MAX_TFRECORD_DATA_BYTES, bareTFRecord, createTFRecordSplitter, encodeTFRecord } from './tfrecord.js';
export { crc32c, maskCrc32c } from './crc32c.js';

export interface SplitterOptions {
  /** A byte range of the object to split on its own; SplitType Line only. */
  shard?: LineShard;
}

/** The splitter for one object (or one shard of a Line object). */
export function createSplitter(splitType: SplitType, options: SplitterOptions = {}): RecordSplitter {
  if (options.shard !== undefined && splitType !== 'Line') {
    throw new RangeError(`only SplitType Line objects can be split into shards, not ${splitType}`);
  }
  switch (splitType) {
    case 'None':
      return createWholeObjectSplitter();
    case 'Line':
      return createLineSplitter(options);
    case 'RecordIO':
      return createRecordIOSplitter();
    case 'TFRecord':
      return createTFRecordSplitter();
  }
}

/**
 * The record as a SingleRecord invocation sends it: framing removed (Line: the '\n' or '\r\n';
 * RecordIO: headers and padding, parts joined; TFRecord: length and CRCs). None: as it is.
 */
export function bareRecord(splitType: SplitType, framed: Buffer): Buffer {
  switch (splitType) {
    case 'None':
      return framed;
    case 'Line':
      return bareLine(framed);
    case 'RecordIO':
      return bareRecordIO(framed);
    case 'TFRecord':
      return bareTFRecord(framed);
  }
}
