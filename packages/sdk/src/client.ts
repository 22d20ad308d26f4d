import { createTRPCClient, httpLink } from '@trpc/client';
import superjson from 'superjson';
// Types only: the SDK talks to the service over HTTP like any user, and loads no server code.
import type { AppRouter } from '@sluice/api';
import { TRPC_PATH } from '@sluice/contracts';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { bearerToken, connectionFromEnv, DEFAULT_SLUICE_URL, serviceBaseUrl } from './connection.js';
import { SluiceError, toSluiceError } from './errors.js';

export interface SluiceClientOptions {
  /** The service's base URL, without the API path. Default: SLUICE_URL, else http://127.0.0.1:3000. */
  url?: string;
  /** Sent as `authorization: Bearer <token>`. Default: SLUICE_TOKEN. */
  token?: string;
}

type Inputs = inferRouterInputs<AppRouter>;
type Outputs = inferRouterOutputs<AppRouter>;

/**
 * A typed client for every procedure of Sluice's API. Each method returns what the service
 * answered (Dates as Dates) or rejects with a SluiceError whose `code` is the service's error code
 * (VALIDATION, NOT_FOUND, ALREADY_EXISTS...) or UNREACHABLE / BAD_RESPONSE.
 *
 * ```ts
 * const sluice = new SluiceClient();
 * await sluice.models.create({ name: 'upper', kind: 'http', url: 'http://127.0.0.1:8080' });
 * const job = await sluice.jobs.describe({ name: 'nightly-scores' });
 * ```
 */
export class SluiceClient {
  /** The service's base URL this client calls. */
  readonly url: string;
  private readonly trpc;
  private readonly tokenSent: boolean;

  constructor(options: SluiceClientOptions = {}) {
    const fromEnv = connectionFromEnv();
    this.url = resolveUrl(options.url ?? fromEnv.url);
    const token = bearerToken(options.token ?? fromEnv.token);
    this.tokenSent = token !== undefined;
    this.trpc = createTRPCClient<AppRouter>({
      links: [
        httpLink({
          url: `${this.url}${TRPC_PATH}`,
          transformer: superjson,
          headers: () => (token ? { authorization: `Bearer ${token}` } : {}),
        }),
      ],
    });
  }

  readonly models = {
    create: (input: Inputs['models']['create']): Promise<Outputs['models']['create']> => this.call(() => this.trpc.models.create.mutate(input)),
    /** The model and the jobs that used it, newest first. */
    get: (input: Inputs['models']['get']): Promise<Outputs['models']['get']> => this.call(() => this.trpc.models.get.query(input)),
    list: (): Promise<Outputs['models']['list']> => this.call(() => this.trpc.models.list.query()),
    /** Refused (CONFLICT) while a running job uses the model. */
    delete: (input: Inputs['models']['delete']): Promise<Outputs['models']['delete']> => this.call(() => this.trpc.models.delete.mutate(input)),
  };

  readonly jobs = {
    /** Stores the job InProgress and queues it; the same clientToken returns the first job. */
    create: (input: Inputs['jobs']['create']): Promise<Outputs['jobs']['create']> => this.call(() => this.trpc.jobs.create.mutate(input)),
    describe: (input: Inputs['jobs']['describe']): Promise<Outputs['jobs']['describe']> => this.call(() => this.trpc.jobs.describe.query(input)),
    /** A page of jobs; pass `nextCursor` back as `cursor` for the next. */
    list: (input?: Inputs['jobs']['list']): Promise<Outputs['jobs']['list']> => this.call(() => this.trpc.jobs.list.query(input)),
    /** InProgress → Stopping; the job ends Stopped once its running tasks have aborted. */
    stop: (input: Inputs['jobs']['stop']): Promise<Outputs['jobs']['stop']> => this.call(() => this.trpc.jobs.stop.mutate(input)),
    /** Runs the objects of a Failed or Stopped job that did not complete again, as a new run. */
    retryFailed: (input: Inputs['jobs']['retryFailed']): Promise<Outputs['jobs']['retryFailed']> => this.call(() => this.trpc.jobs.retryFailed.mutate(input)),
    /** A new job with the same parameters (and any overrides). */
    clone: (input: Inputs['jobs']['clone']): Promise<Outputs['jobs']['clone']> => this.call(() => this.trpc.jobs.clone.mutate(input)),
    /** The job's input objects with each one's status, counts, output and error. */
    objects: (input: Inputs['jobs']['objects']): Promise<Outputs['jobs']['objects']> => this.call(() => this.trpc.jobs.objects.query(input)),
  };

  readonly logs = {
    /** A job's log after a cursor (`after`: the previous page's `nextCursor`, as a number). */
    list: (input: Inputs['logs']['list']): Promise<Outputs['logs']['list']> => this.call(() => this.trpc.logs.list.query(input)),
  };

  readonly metrics = {
    /** Throughput and latency over time, all workers summed, with overall percentiles. */
    get: (input: Inputs['metrics']['get']): Promise<Outputs['metrics']['get']> => this.call(() => this.trpc.metrics.get.query(input)),
  };

  readonly workers = {
    /** Workers that have not stopped, newest heartbeat first. */
    list: (): Promise<Outputs['workers']['list']> => this.call(() => this.trpc.workers.list.query()),
  };

  readonly comparisons = {
    /** Compares existing jobs (`jobs`), or runs one job per model over one shared snapshot (`variants`); computed once every job ended. */
    create: (input: Inputs['comparisons']['create']): Promise<Outputs['comparisons']['create']> => this.call(() => this.trpc.comparisons.create.mutate(input)),
    /** The comparison and, once computed, every figure. */
    describe: (input: Inputs['comparisons']['describe']): Promise<Outputs['comparisons']['describe']> => this.call(() => this.trpc.comparisons.describe.query(input)),
    /** A page of comparisons, newest first, without their figures. */
    list: (input?: Inputs['comparisons']['list']): Promise<Outputs['comparisons']['list']> => this.call(() => this.trpc.comparisons.list.query(input)),
  };

  /** The caller's own account: who the token acts as, and their personal API tokens. */
  readonly account = {
    /** The user, the team the token acts in, their role there, and every team they belong to. */
    me: (): Promise<Outputs['account']['me']> => this.call(() => this.trpc.account.me.query()),
    tokens: {
      list: (): Promise<Outputs['account']['tokens']['list']> => this.call(() => this.trpc.account.tokens.list.query()),
      /** A new token acting as the caller in the current team; `token` is in this answer only. */
      create: (input?: Inputs['account']['tokens']['create']): Promise<Outputs['account']['tokens']['create']> => this.call(() => this.trpc.account.tokens.create.mutate(input)),
      revoke: (input: Inputs['account']['tokens']['revoke']): Promise<Outputs['account']['tokens']['revoke']> => this.call(() => this.trpc.account.tokens.revoke.mutate(input)),
    },
  };

  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw toSluiceError(error, this.url, { tokenSent: this.tokenSent });
    }
  }
}

/** The base URL without trailing slashes; refused early when it is not http(s), with the fix. */
function resolveUrl(given: string | undefined): string {
  const url = serviceBaseUrl(given);
  if (url === undefined) {
    throw new SluiceError('VALIDATION', `the Sluice URL must be an http(s) URL such as ${DEFAULT_SLUICE_URL} (got '${given}'): fix the \`url\` option or SLUICE_URL`);
  }
  return url;
}
