import { createHttpTransport, spawnModelCommand, waitUntilHealthy, type ModelTransport, type TransformRequest } from '@sluice/engine';

export interface ModelFlags {
  url?: string;
  command?: string;
  env: Record<string, string>;
  modelDir?: string;
  startupTimeoutMs: number;
  /** Only what the job set is passed to a spawned model as SAGEMAKER_* variables. */
  request: TransformRequest;
  verbose: boolean;
}

export interface RunningModel {
  transport: ModelTransport;
  stop(): Promise<void>;
}

/**
 * Reaches the model named on the command line: a running server (--model-url), or a command
 * started here on a free port (--model-command) and stopped, with its whole process group, when
 * the transform ends. Either way it must answer /ping before any data is read.
 */
export async function startModel(flags: ModelFlags, signal: AbortSignal): Promise<RunningModel> {
  const connections = Math.max(1, flags.request.maxConcurrentTransforms || 8);
  if (flags.url) {
    const transport = createHttpTransport(flags.url, { connections });
    await waitUntilHealthy(transport, { timeoutMs: flags.startupTimeoutMs, signal });
    return { transport, stop: () => transport.close() };
  }
  const model = await spawnModelCommand({
    command: flags.command!,
    // A command you run yourself inherits your whole environment, as any program you start does.
    baseEnv: process.env,
    env: flags.env,
    ...(flags.modelDir ? { modelDir: flags.modelDir } : {}),
    params: {
      ...(flags.request.maxPayloadInMB !== undefined ? { maxPayloadInMB: flags.request.maxPayloadInMB } : {}),
      ...(flags.request.batchStrategy !== undefined ? { batchStrategy: flags.request.batchStrategy } : {}),
      ...(flags.request.maxConcurrentTransforms ? { maxConcurrentTransforms: flags.request.maxConcurrentTransforms } : {}),
    },
    ...(flags.verbose ? { onLog: (stream: 'stdout' | 'stderr', line: string) => process.stderr.write(`[model ${stream}] ${line}\n`) } : {}),
  });
  const transport = createHttpTransport(model.url, { connections });
  try {
    await waitUntilHealthy(transport, {
      timeoutMs: flags.startupTimeoutMs,
      signal,
      isAlive: () => model.isAlive(),
      exited: model.exited,
      lastLogLines: () => model.lastLines(),
    });
  } catch (error) {
    await transport.close();
    await model.stop();
    throw error;
  }
  return {
    transport,
    stop: async () => {
      await transport.close();
      await model.stop();
    },
  };
}
