import type { JobView } from '@sluice/contracts';
import { SluiceClient, type SluiceClientOptions } from './client.js';
import { SluiceError } from './errors.js';
import { baseFromName, nameFromBase } from './job-names.js';
import { FINAL_STATUSES, pollUntilEnded, waitForJob, type WaitOptions } from './job-waiting.js';
import { issuesInOptionTerms, settingsFromJob, toCreateJob, type TransformerSettings, type TransformInput } from './transformer-request.js';

export interface TransformerOptions extends TransformerSettings {
  /** The client to call the service with; default `new SluiceClient()` (SLUICE_URL, SLUICE_TOKEN). */
  client?: SluiceClient;
}

export interface TransformOptions extends TransformInput {
  /** Resolve only when the job has ended (as wait()); default false: resolve once it is created. */
  wait?: boolean;
  /** With `wait`: print the job's log lines as they come. */
  logs?: boolean;
  /** With `wait`: where log lines go instead of stdout. */
  onLog?: WaitOptions['onLog'];
  /** With `wait`: how often to ask the service. */
  pollIntervalMs?: number;
}

export interface StopOptions {
  /** Resolve once the job has ended Stopped (default true, as the Python SDK's stop_transform_job). */
  wait?: boolean;
  pollIntervalMs?: number;
}

/**
 * Runs a model over a dataset as a transform job: the SageMaker Python SDK's
 * `sagemaker.transformer.Transformer`, camelCased, talking to a Sluice service.
 *
 * ```ts
 * const transformer = new Transformer({ modelName: 'my-model', instanceCount: 2, instanceType: 'default',
 *   outputPath: 's3://bucket/batch-output/', strategy: 'MultiRecord', assembleWith: 'Line', maxPayload: 6 });
 * await transformer.transform({ data: 's3://bucket/batch-input/', contentType: 'text/csv', splitType: 'Line' });
 * await transformer.wait();
 * ```
 */
export class Transformer {
  readonly client: SluiceClient;
  /** The settings every transform() uses, as given (or, after attach(), as the job had them). */
  readonly settings: TransformerSettings;
  /** The name of the job transform() started or attach() found; undefined before either. */
  latestTransformJob: string | undefined;

  constructor({ client, ...settings }: TransformerOptions) {
    this.client = client ?? new SluiceClient();
    this.settings = settings;
  }

  /**
   * Starts a transform job over `data` and resolves with the job as created (or, with `wait`, as
   * it ended). A request the service refuses rejects with a VALIDATION SluiceError whose issues
   * name the Transformer option to change.
   */
  async transform(options: TransformOptions): Promise<JobView> {
    const { wait, logs, onLog, pollIntervalMs, ...input } = options;
    const jobName = input.jobName ?? nameFromBase(this.settings.baseTransformJobName ?? this.settings.modelName);
    let job: JobView;
    try {
      job = await this.client.jobs.create(toCreateJob(this.settings, input, jobName));
    } catch (error) {
      if (error instanceof SluiceError && error.code === 'VALIDATION' && error.issues.length > 0) {
        const { issues, message } = issuesInOptionTerms(error.issues);
        throw new SluiceError('VALIDATION', message, { issues, cause: error });
      }
      throw error;
    }
    this.latestTransformJob = job.name;
    return wait ? this.wait({ logs, onLog, pollIntervalMs }) : job;
  }

  /**
   * Resolves with the latest job's final view once it has Completed; rejects with a SluiceError
   * (JOB_FAILED with the FailureReason, or JOB_STOPPED) when it ended otherwise.
   */
  async wait(options: WaitOptions = {}): Promise<JobView> {
    return waitForJob(this.client, this.requireJob('wait for'), options);
  }

  /** Asks the latest job to stop; by default resolves once it has ended, with its final view. */
  async stop(options: StopOptions = {}): Promise<JobView> {
    const name = this.requireJob('stop');
    const stopping = await this.client.jobs.stop({ name });
    if (options.wait === false || FINAL_STATUSES.includes(stopping.status)) return stopping;
    // A stopped job is what was asked for, so Stopped resolves here where wait() would reject.
    return pollUntilEnded(this.client, name, { pollIntervalMs: options.pollIntervalMs });
  }

  /** The latest job as the service describes it now. */
  async describe(): Promise<JobView> {
    return this.client.jobs.describe({ name: this.requireJob('describe') });
  }

  /**
   * A Transformer for an existing job, its settings taken from the job (so a further transform()
   * runs the same model the same way), with `latestTransformJob` set to it.
   */
  static async attach(jobName: string, options: { client?: SluiceClient } & SluiceClientOptions = {}): Promise<Transformer> {
    const { client = new SluiceClient(options) } = options;
    const job = await client.jobs.describe({ name: jobName });
    const transformer = new Transformer({ ...settingsFromJob(job), baseTransformJobName: baseFromName(job.name), client });
    transformer.latestTransformJob = job.name;
    return transformer;
  }

  private requireJob(action: string): string {
    if (this.latestTransformJob === undefined) {
      throw new SluiceError('NO_JOB', `no transform job to ${action}: call transform() first, or Transformer.attach(jobName) to an existing job`);
    }
    return this.latestTransformJob;
  }
}
