import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { openSecretEnv, tryHoldLock, type Core, type HeldLock } from '@sluice/core';
import type { ModelRow, TransformJobRow } from '@sluice/core';
import {
  createHttpTransport,
  spawnModelCommand,
  waitUntilHealthy,
  type ModelTransport,
  type PreparedSandbox,
  type SpawnedModel,
} from '@sluice/engine';
import { createHandlerTransport } from '@sluice/models';
import { fetchArtifact, type ArtifactLimits, type FetchedArtifact } from './artifact.js';
import type { ModelIsolation } from './model-isolation.js';
import type { Telemetry } from './telemetry.js';

/** A model started for a job on this worker, shared by all its tasks here. */
interface Running {
  transport: ModelTransport;
  users: number;
  stopTimer?: NodeJS.Timeout;
  stop: () => Promise<void>;
}

/** Why a model could not be made ready: the job fails with this (it holds the model's last lines). */
export class ModelStartError extends Error {
  override readonly name = 'ModelStartError';
}

/** How long an unused model stays up, so the next task of the same job does not restart it. */
const LINGER_MS = 1500;

/**
 * Gives each task of a job the model it needs: an `http` model's URL, a `builtin` handler loaded in
 * this process (modelFn once per worker per job, no HTTP hop), or a `command` model started
 * once per worker per job (on a free port, or its fixed port once per host), isolated from the
 * worker as start-up decided (model-isolation.ts), with SageMaker's environment, its artifact
 * unpacked to SM_MODEL_DIR and its output streamed into the job log. It is stopped, with its
 * process group, once no task of the job on this worker needs it, and its sandbox deleted.
 */
export class ModelRuntime {
  private readonly running = new Map<string, Promise<Running>>();

  constructor(
    private readonly core: Core,
    private readonly telemetry: Telemetry,
    /** Task slots of this worker: as many of a job's tasks may share its model here. */
    private readonly slots: number,
    /** What a command model's process inherits from the worker (modelProcessEnv, worked out at start-up). */
    private readonly modelEnv: Record<string, string>,
    private readonly isolation: ModelIsolation,
    private readonly artifactLimits: ArtifactLimits,
  ) {}

  async acquire(job: TransformJobRow, model: ModelRow, signal: AbortSignal): Promise<{ transport: ModelTransport; release: () => void }> {
    let entry = this.running.get(job.id);
    if (!entry) {
      entry = this.start(job, model, signal);
      this.running.set(job.id, entry);
      entry.catch(() => this.running.delete(job.id));
    }
    const running = await entry;
    running.users++;
    clearTimeout(running.stopTimer);
    let released = false;
    return {
      transport: running.transport,
      release: () => {
        if (released) return;
        released = true;
        if (--running.users > 0) return;
        running.stopTimer = setTimeout(() => {
          if (running.users > 0) return;
          this.running.delete(job.id);
          void running.stop();
        }, LINGER_MS);
      },
    };
  }

  /** Stops every model now (worker shutdown). */
  async stopAll(): Promise<void> {
    const entries = [...this.running.values()];
    this.running.clear();
    await Promise.allSettled(entries.map(async (e) => (await e).stop()));
  }

  private async start(job: TransformJobRow, model: ModelRow, signal: AbortSignal): Promise<Running> {
    const { request } = job;
    // Each task is an instance in SageMaker's terms, with MaxConcurrentTransforms in flight of its
    // own; up to `slots` of the job's tasks share this model. Unset, the container decides (asked
    // later): allow for 8. undici opens only the connections it uses.
    const connections = Math.max(1, request.maxConcurrentTransforms || 8) * this.slots;
    if (model.kind === 'http') {
      const transport = createHttpTransport(model.url!, { connections });
      return { transport, users: 0, stop: () => transport.close() };
    }

    if (model.kind === 'builtin') return this.startBuiltin(job, model, signal);

    let sandbox: PreparedSandbox | undefined;
    let artifact: FetchedArtifact | undefined;
    let hostLock: { release: () => Promise<void> } | undefined;
    let spawned: SpawnedModel | undefined;
    try {
      sandbox = await this.isolation.prepare();
      // In a sandbox, the artifact goes where the model may read it, owned by the model's uid.
      if (model.artifactUri) artifact = await fetchArtifact(model.artifactUri, this.core.storage, signal, sandbox && { dir: sandbox.modelDir, owner: sandbox.owner }, this.artifactLimits);
      if (model.port) hostLock = await this.lockHostPort(model.port, job, signal);
      spawned = await spawnModelCommand({
        command: model.command!,
        // Secret env values are opened here, for the model's process only: never logged or stored in the job.
        // Last, so a job's Environment cannot replace them (create-job refuses it too).
        env: { ...model.env, ...job.environment, ...openSecretEnv(this.core, model) },
        baseEnv: this.modelEnv,
        ...(model.port ? { port: model.port } : {}),
        ...(artifact ? { modelDir: artifact.dir } : {}),
        ...(sandbox ? { sandbox: sandbox.sandbox } : {}),
        params: {
          ...(request.maxPayloadInMB !== undefined ? { maxPayloadInMB: request.maxPayloadInMB } : {}),
          ...(request.batchStrategy !== undefined ? { batchStrategy: request.batchStrategy } : {}),
          ...(request.maxConcurrentTransforms ? { maxConcurrentTransforms: request.maxConcurrentTransforms } : {}),
        },
        onLog: (stream, line) => this.telemetry.modelLine(job.id, stream, line),
      });
      this.telemetry.log(job.id, 'info', `started model '${model.name}' on port ${spawned.port} (${this.isolation.howItRuns(sandbox)}): ${model.command}`);
      const transport = createHttpTransport(spawned.url, { connections });
      try {
        await waitUntilHealthy(transport, {
          timeoutMs: model.startupTimeoutSeconds * 1000,
          signal,
          isAlive: () => spawned!.isAlive(),
          exited: spawned.exited,
          lastLogLines: () => spawned!.lastLines(),
        });
      } catch (error) {
        await transport.close();
        throw error;
      }
      const process = spawned;
      return {
        transport,
        users: 0,
        stop: async () => {
          await transport.close();
          await process.stop();
          await hostLock?.release();
          await artifact?.remove();
          await sandbox?.release();
          this.telemetry.log(job.id, 'info', `stopped model '${model.name}' on port ${process.port}`);
        },
      };
    } catch (error) {
      await spawned?.stop();
      await hostLock?.release();
      await artifact?.remove();
      await sandbox?.release();
      if (signal.aborted) throw error;
      throw new ModelStartError(`model '${model.name}' did not start: ${(error as Error).message}`);
    }
  }

  /** A builtin model: its handler loaded here, its artifact (if any) given to modelFn. */
  private async startBuiltin(job: TransformJobRow, model: ModelRow, signal: AbortSignal): Promise<Running> {
    let artifact: FetchedArtifact | undefined;
    try {
      if (model.artifactUri) artifact = await fetchArtifact(model.artifactUri, this.core.storage, signal, undefined, this.artifactLimits);
      const transport = await createHandlerTransport(model.handler!, artifact ? { modelDir: artifact.dir } : {});
      this.telemetry.log(job.id, 'info', `loaded builtin model '${model.name}' (handler ${model.handler}) in the worker`);
      return {
        transport,
        users: 0,
        stop: async () => {
          await transport.close();
          await artifact?.remove();
        },
      };
    } catch (error) {
      await artifact?.remove();
      if (signal.aborted) throw error;
      throw new ModelStartError(`model '${model.name}' did not start: handler ${model.handler}: ${(error as Error).message}`);
    }
  }

  /**
   * A model with a fixed port can run once per host: a session advisory lock on a dedicated
   * connection, keyed by host and port, held while it runs (released if this worker dies).
   */
  private async lockHostPort(port: number, job: TransformJobRow, signal: AbortSignal): Promise<HeldLock> {
    const key = createHash('sha256').update(`${hostname()}:${port}`).digest().readBigInt64BE(0);
    let waited = false;
    while (!signal.aborted) {
      const lock = await tryHoldLock(this.core, key);
      if (lock) return lock;
      if (!waited) this.telemetry.log(job.id, 'info', `waiting for port ${port} on ${hostname()}: another job's model uses it`);
      waited = true;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    throw signal.reason instanceof Error ? signal.reason : new Error('aborted');
  }
}
