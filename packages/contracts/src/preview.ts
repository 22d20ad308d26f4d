import { z } from 'zod';
import { COMPRESSION_TYPES, SPLIT_TYPES } from '@sluice/params';
import { ZResourceNameSchema, ZStorageUriSchema } from './names.js';
import { ZDataTypeSchema } from './transform.js';

/** Check an input before creating a job: how many objects, how large, and what the first records look like. */
export const ZPreviewInputSchema = z.object({
  uri: ZStorageUriSchema,
  dataType: ZDataTypeSchema.default('S3Prefix'),
  splitType: z.enum(SPLIT_TYPES).default('None'),
  compressionType: z.enum(COMPRESSION_TYPES).default('None'),
  limit: z.number().int().min(1).max(20).default(5),
});
export type TPreviewInput = z.input<typeof ZPreviewInputSchema>;

export interface InputPreview {
  objects: number;
  totalBytes: number;
  firstObject: { uri: string; size: number } | null;
  /** The first records of the first object as UTF-8, each cut to 2,000 characters (SplitType None: the object's start). */
  records: string[];
  /** True when the first object holds more than `records` shows, or a record was cut. */
  truncated: boolean;
}

/** A finished job's first records beside what the model made of them. */
export const ZPreviewRecordsSchema = z.object({
  name: ZResourceNameSchema,
  limit: z.number().int().min(1).max(50).default(10),
});
export type TPreviewRecords = z.input<typeof ZPreviewRecordsSchema>;

export type RecordsPreview =
  | { object: string; output: string; pairs: Array<{ input: string; output: string | null }> }
  | { unsupported: string }
  | null;
