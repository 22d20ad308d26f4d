// Comparing production variants: several jobs over one identical input snapshot, analysed side by
// side (issue #6). The shapes here are the contract between the job service (which computes and
// stores ComparisonResults), the API, the CLI and the dashboard.
import { z } from 'zod';
import { ZResourceNameSchema, ZStorageUriSchema } from './names.js';
import { ZDataTypeSchema, ZTransformParametersSchema } from './transform.js';

export const COMPARISON_STATUSES = ['WaitingForJobs', 'InProgress', 'Completed', 'Failed'] as const;
export type ComparisonStatus = (typeof COMPARISON_STATUSES)[number];

/** Where a label is: a JSONPath into a JSON record (`$.label`), or a CSV column (`_c3`, 0-based). */
export const ZLabelLocatorSchema = z.string().trim().min(1).max(256);

const analysis = {
  /** Where the true label of each record is in the input (JSONPath or CSV column): adds accuracy, precision and recall. */
  groundTruth: ZLabelLocatorSchema.optional(),
  /** Where the label is in each output record (JSONPath or CSV column); absent: the whole output record is the label. */
  labelPath: ZLabelLocatorSchema.optional(),
  /** How many disagreeing records to keep for the disagreement browser (default 100). */
  maxDisagreements: z.number().int().min(0, 'must be at least 0').max(10_000, 'must be at most 10000').optional(),
};

/**
 * Either `jobs` (compare existing jobs whose input snapshots are identical) or `variants` (create one
 * job per model over one shared input snapshot, then compare them).
 */
export const ZCreateComparisonSchema = z
  .object({
    name: ZResourceNameSchema,
    /** Existing jobs, 2 to 10, in the order the variants are shown. */
    jobs: z.array(ZResourceNameSchema).min(2, 'compare at least 2 jobs').max(10, 'compare at most 10 jobs').optional(),
    /** New variant jobs: one per model, named `<name>-<variant>`, all over the same input and parameters. */
    variants: z
      .object({
        models: z.array(z.object({ variant: ZResourceNameSchema, modelName: ZResourceNameSchema })).min(2, 'compare at least 2 models').max(10, 'compare at most 10 models'),
        input: z.object({ uri: ZStorageUriSchema, dataType: ZDataTypeSchema.default('S3Prefix') }),
        /** Each variant writes under `<output.uri>/<variant>/`. */
        output: z.object({ uri: ZStorageUriSchema }),
        transform: ZTransformParametersSchema.default({}),
        instanceType: z.string().min(1).max(64).default('default'),
        instanceCount: z.number().int().min(1).max(100).default(1),
      })
      .optional(),
    ...analysis,
  })
  .refine((v) => (v.jobs === undefined) !== (v.variants === undefined), { message: 'give either jobs (existing jobs to compare) or variants (models to run), not both', path: ['jobs'] });
export type TCreateComparison = z.input<typeof ZCreateComparisonSchema>;

export const ZComparisonRefSchema = z.object({ name: ZResourceNameSchema });
export type TComparisonRef = z.input<typeof ZComparisonRefSchema>;

export const ZListComparisonsSchema = z.object({
  limit: z.number().int().min(1).max(100).default(50),
  cursor: z.string().optional(),
});
export type TListComparisons = z.input<typeof ZListComparisonsSchema>;

/** One variant's performance, from its job's counters and latency histograms. */
export interface VariantFigures {
  jobName: string;
  modelName: string;
  status: string;
  durationMs: number | null;
  /** Over the time the job's tasks ran (first task start to last task end), not time spent waiting for a worker. */
  recordsPerSecond: number | null;
  records: number;
  recordsFailed: number;
  invocations: number;
  latencyMs: { p50: number | null; p95: number | null; p99: number | null };
  /** Latency histogram: counts per bucket (bounds in `latencyBucketsMs`, last bucket above the last bound). */
  latencyBuckets: number[];
  /** Failed invocations / invocations. */
  errorRate: number;
  /** Retries / invocations. */
  retryRate: number;
  /** With ground truth: accuracy over the records this variant answered. */
  accuracy?: number;
  /** With ground truth: per true class. */
  perClass?: Array<{ label: string; precision: number | null; recall: number | null; support: number }>;
  /** With labelPath: compared records whose output had no label there (labelled `(no label)`). */
  recordsWithoutLabel?: number;
}

/** Two variants side by side (`a`, `b` are positions in `variants`). */
export interface PairFigures {
  a: number;
  b: number;
  /** Records compared (both variants answered). */
  records: number;
  /** Output records byte-identical. */
  exactAgreement: number;
  /** Labels (labelPath, or the whole record) equal; a label that could not be read agrees with nothing. */
  labelAgreement: number;
  /** Present when both variants' labels are numbers. */
  numeric?: {
    meanAbsoluteDifference: number;
    correlation: number | null;
    /** Records left out because a label was not a number (at most 5% of those compared). */
    nonNumericRecords?: number;
  };
  /** Present when the labels are categorical: rows are `a`'s labels, columns `b`'s. */
  confusion?: { labels: string[]; counts: number[][] };
}

export interface Disagreement {
  /** The input object (relative key) and the record's 0-based index in it. */
  object: string;
  record: number;
  input: string;
  /** Each variant's output record, in variant order. */
  outputs: string[];
  truth?: string;
}

export interface ComparisonResults {
  records: number;
  latencyBucketsMs: number[];
  variants: VariantFigures[];
  pairs: PairFigures[];
  /** With ground truth: each variant's confusion against the truth (rows: true labels). */
  truthConfusion?: Array<{ labels: string[]; counts: number[][] }>;
  disagreements: Disagreement[];
  /** Disagreeing records in all (only the first maxDisagreements are kept). */
  disagreementCount: number;
  /**
   * Objects of the snapshot compared (completed by every variant) and skipped (some variant did
   * not complete them: its job Failed or was Stopped), with the first few skipped keys.
   */
  objects?: { compared: number; skipped: number; skippedKeys: string[] };
  /** With ground truth: records whose truth could not be read, left out of accuracy, precision and recall. */
  recordsWithoutTruth?: number;
  /** Confusion matrices keep this many distinct labels apart; the rest share one `(other)` row and column. */
  labelCap?: number;
}

export interface ComparisonView {
  name: string;
  status: ComparisonStatus;
  failureReason: string | null;
  jobs: Array<{ name: string; modelName: string | null; status: string | null }>;
  groundTruth: string | null;
  labelPath: string | null;
  createdBy: string;
  creationTime: Date;
  startTime: Date | null;
  endTime: Date | null;
  results: ComparisonResults | null;
}

export type ComparisonSummary = Omit<ComparisonView, 'results'> & { records: number | null };
