/**
 * Split throughput, for measuring before and after a change to the hot path (not a test):
 *   npx tsx --conditions=@sluice/source src/split/test-support/bench-split.ts [MB]
 * Feeds ~MB megabytes (default 512) of ~1 KB records in 1 MiB chunks to each splitter and prints
 * MB/s (best of 3 runs), counting every record as a consumer would.
 */
import { crc32c } from '../crc32c.js';
import { createLineSplitter } from '../line.js';
import type { RecordBlock, RecordSplitter } from '../record-block.js';
import { createRecordIOSplitter, encodeRecordIO } from '../recordio.js';
import { createTFRecordSplitter, encodeTFRecord } from '../tfrecord.js';
import { randomInt, seededRandom } from './feed.js';

const CHUNK_BYTES = 1 << 20;
const totalBytes = Number(process.argv[2] ?? 512) * 1e6;
const random = seededRandom(1);

/** ~1 KB payloads (900 to 1100 bytes, so records straddle chunk boundaries at varying points). */
function payloads(bytes: number): Buffer[] {
  const out: Buffer[] = [];
  for (let size = 0; size < bytes; ) {
    const payload = Buffer.alloc(randomInt(random, 900, 1100), 0x61 + (out.length % 26));
    out.push(payload);
    size += payload.length;
  }
  return out;
}

/** 64 MB of whole records, fed over and over as one long object. */
function lineObject(): Buffer {
  return Buffer.concat(payloads(64e6).map((p) => { p[p.length - 1] = 0x0a; return p; }));
}

function run(name: string, sample: Buffer, create: () => RecordSplitter): void {
  const chunks: Buffer[] = [];
  for (let at = 0; at < sample.length; at += CHUNK_BYTES) chunks.push(sample.subarray(at, at + CHUNK_BYTES));
  const rounds = Math.max(1, Math.round(totalBytes / sample.length));
  let best = 0;
  let records = 0;
  for (let attempt = 0; attempt < 3; attempt++) {
    const splitter = create();
    records = 0;
    const count = (blocks: RecordBlock[]) => { for (const block of blocks) records += block.count; };
    const started = process.hrtime.bigint();
    for (let r = 0; r < rounds; r++) for (const chunk of chunks) count(splitter.push(chunk));
    count(splitter.end());
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    best = Math.max(best, (rounds * sample.length) / 1e6 / seconds);
  }
  const megabytes = ((rounds * sample.length) / 1e6).toFixed(0);
  console.log(`${name.padEnd(22)} ${best.toFixed(0).padStart(6)} MB/s  (${records} records, ${megabytes} MB)`);
}

run('Line', lineObject(), () => createLineSplitter());
run('RecordIO', encodeRecordIO(payloads(64e6)), () => createRecordIOSplitter());
run('TFRecord (both CRCs)', encodeTFRecord(payloads(64e6)), () => createTFRecordSplitter());

const crcInput = Buffer.alloc(64e6, 0x5a);
let bestCrc = 0;
for (let attempt = 0; attempt < 3; attempt++) {
  const started = process.hrtime.bigint();
  crc32c(crcInput);
  bestCrc = Math.max(bestCrc, crcInput.length / 1e6 / (Number(process.hrtime.bigint() - started) / 1e9));
}
console.log(`${'CRC-32C alone'.padEnd(22)} ${bestCrc.toFixed(0).padStart(6)} MB/s`);
