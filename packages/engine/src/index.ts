// @sluice/engine: the transform engine. Storage, split, batch, invoke, filter, assemble; no
// database and no queue. Workers, the CLI and tests drive it through this surface.

export * from './params.js';
export * from './observer.js';

export type { ObjectStore, ObjectWriter, ObjectInfo, ByteRange, ListPage, ListOptions, WriteOptions, StorageErrorCode } from './storage/object-store.js';
export { StorageError } from './storage/object-store.js';
export { openStore, storageConfigFromEnv, type StorageConfig } from './storage/open-store.js';
export { parseStorageUri, formatStorageUri } from './storage/uri.js';
export { resolveInput, outputKeyFor, outputUriFor, relativeKeyProblem, type InputObject } from './input/resolve-input.js';

export type { RecordBlock, RecordSplitter } from './split/record-block.js';
export { SplitError } from './split/record-block.js';
export { createSplitter, bareRecord } from './split/index.js';
export { encodeRecordIO } from './split/recordio.js';
export { encodeTFRecord } from './split/tfrecord.js';

export type { ModelTransport, ModelResponse, ExecutionParameters, InvokeOptions, TransportErrorKind } from './model/transport.js';
export { TransportError } from './model/transport.js';
export * from './model/index.js';

export type { RecordProcessor } from './filter/record-processor.js';
export { RecordProcessingError } from './filter/record-processor.js';
export { compileDataProcessing, checkDataProcessing, DataProcessingConfigError } from './filter/compile.js';

export { captureManifestUris, writeCaptureManifests, CaptureError, type CapturedObject, type CaptureManifests, type CaptureTarget } from './capture/capture-manifests.js';
export { inferenceTime, type InferenceIdStamper } from './capture/inference-id.js';

export { Limiter } from './pipeline/limiter.js';
export { prepareTransform, type PreparedTransform, type PrepareOptions } from './pipeline/prepare.js';
export { transformObject, type ObjectTask, type TaskContext, type ObjectResult } from './pipeline/transform-object.js';
export { describeObjectFailure, failureReason, type ObjectFailure } from './pipeline/object-failure.js';
export { runTransform, type TransformSpec, type RunTransformOptions, type TransformSummary } from './pipeline/transform-job.js';
