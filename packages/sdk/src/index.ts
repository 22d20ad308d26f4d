// @sluice/sdk: Sluice from TypeScript, over HTTP like any user. `SluiceClient` calls every API
// procedure; `Transformer` runs transform jobs the way the SageMaker Python SDK's Transformer does.
export { SluiceClient, type SluiceClientOptions } from './client.js';
export { DEFAULT_SLUICE_URL, connectionFromEnv, serviceBaseUrl, bearerToken } from './connection.js';
export { SluiceError, type SluiceErrorCode, type SluiceErrorDetails, type SluiceIssue } from './errors.js';
export { Transformer, type StopOptions, type TransformerOptions, type TransformOptions } from './transformer.js';
export type { TagsOption, TransformerSettings, TransformInput } from './transformer-request.js';
export { formatLogLine, FINAL_STATUSES, pollUntilEnded, jobLogReader, type WaitOptions, type PollOptions, type LogFilter, type LogSink } from './job-waiting.js';
export { nameFromBase, baseFromName, sagemakerTimestamp, MAX_JOB_NAME_LENGTH } from './job-names.js';
// The API's shapes, so SDK users need not depend on the contracts package themselves.
export type { ComparisonResults, ComparisonStatus, ComparisonSummary, ComparisonView, JobLogEntry, JobStatus, JobView, ModelView, Page, TCreateComparison, TCreateJob, TCreateModel } from '@sluice/contracts';
