import { availableParallelism } from 'node:os';
import type { InferenceSession } from 'onnxruntime-node';

/**
 * ONNX Runtime session options for a handler that shares its host: the `onnx` and `paddle-ocr`
 * handlers run inside a worker (or a model server) beside the worker's other tasks, its other
 * processes and often PostgreSQL.
 *
 * - Intra-op threads: all cores but one (at least 1, at most 8). ONNX Runtime's default takes every
 *   physical core; on a 2-core box that leaves nothing for the engine's splitting, assembly and
 *   uploads, nor for the other worker. onnxruntime-node runs a session on the calling thread, so
 *   concurrent invocations in one process queue behind each other: intra-op threads are the only
 *   parallelism one model gets, hence not 1 on larger hosts. Past 8, small batches gain little.
 * - No spinning: ORT's pool threads otherwise busy-wait between runs (and between a model's
 *   operators), burning a core each while the engine is between mini-batches.
 * - One inter-op thread, sequential execution: the graphs these handlers run are chains.
 */
export function sharedHostSessionOptions(): InferenceSession.SessionOptions {
  return {
    intraOpNumThreads: Math.max(1, Math.min(8, availableParallelism() - 1)),
    interOpNumThreads: 1,
    executionMode: 'sequential',
    extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
  };
}
