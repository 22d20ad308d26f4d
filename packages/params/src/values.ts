// The allowed values of the transform parameters that take one of a few words: SageMaker's
// spelling (and Sluice's for the error policy), each list the one home of its words.

export const SPLIT_TYPES = ['None', 'Line', 'RecordIO', 'TFRecord'] as const;
export const BATCH_STRATEGIES = ['SingleRecord', 'MultiRecord'] as const;
export const ASSEMBLE_WITH = ['None', 'Line'] as const;
export const COMPRESSION_TYPES = ['None', 'Gzip'] as const;
export const JOIN_SOURCES = ['None', 'Input'] as const;
export const DATA_TYPES = ['S3Prefix', 'ManifestFile'] as const;
export const ERROR_POLICY_MODES = ['fail-object', 'placeholder'] as const;

export type SplitType = (typeof SPLIT_TYPES)[number];
export type BatchStrategy = (typeof BATCH_STRATEGIES)[number];
export type AssembleWith = (typeof ASSEMBLE_WITH)[number];
export type CompressionType = (typeof COMPRESSION_TYPES)[number];
export type JoinSource = (typeof JOIN_SOURCES)[number];
export type DataType = (typeof DATA_TYPES)[number];
export type ErrorPolicyMode = (typeof ERROR_POLICY_MODES)[number];
