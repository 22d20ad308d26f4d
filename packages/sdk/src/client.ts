import { createTRPCUntypedClient, httpLink, type TRPCUntypedClient } from '@trpc/client';
import type { AnyRouter } from '@trpc/server';
import superjson from 'superjson';
import {
  TRPC_PATH,
  type AccountView,
  type ApiTokenView,
  type ComparisonSummary,
  type ComparisonView,
  type JobLogEntry,
  type JobMetricsView,
  type JobObjectView,
  type JobView,
  type ModelView,
  type NewApiToken,
  type Page,
  type TApiTokenRef,
  type TCloneJob,
  type TComparisonRef,
  type TCreateApiToken,
  type TCreateComparison,
  type TCreateJob,
  type TCreateModel,
  type TJobMetrics,
  type TJobRef,
  type TListComparisons,
  type TListJobs,
  type TListLogs,
  type TModelRef,
  type WorkerView,
} from '@sluice/contracts';
import { bearerToken, connectionFromEnv, DEFAULT_SLUICE_URL, serviceBaseUrl } from './connection.js';
import { SluiceError, toSluiceError } from './errors.js';
import type { PathOfKind, SluiceProcedures } from './procedures.js';

export interface SluiceClientOptions {
  /** The service's base URL, without the API path. Default: SLUICE_URL, else http://127.0.0.1:3000. */
  url?: string;
  /** Sent as `authorization: Bearer <token>`. Default: SLUICE_TOKEN. */
  token?: string;
}

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
  // Untyped at this layer: each method's types come from the contracts through SluiceProcedures
  // (procedures.ts), checked against the router by procedures.test.ts.
  private readonly trpc: TRPCUntypedClient<AnyRouter>;
  private readonly tokenSent: boolean;

  constructor(options: SluiceClientOptions = {}) {
    const fromEnv = connectionFromEnv();
    this.url = resolveUrl(options.url ?? fromEnv.url);
    const token = bearerToken(options.token ?? fromEnv.token);
    this.tokenSent = token !== undefined;
    this.trpc = createTRPCUntypedClient<AnyRouter>({
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
    create: (input: TCreateModel): Promise<ModelView> => this.mutate('models.create', input),
    /** The model and the jobs that used it, newest first. */
    get: (input: TModelRef): Promise<ModelView> => this.query('models.get', input),
    list: (): Promise<ModelView[]> => this.query('models.list'),
    /** Refused (CONFLICT) while a running job uses the model. */
    delete: (input: TModelRef): Promise<void> => this.mutate('models.delete', input),
  };

  readonly jobs = {
    /** Stores the job InProgress and queues it; the same clientToken returns the first job. */
    create: (input: TCreateJob): Promise<JobView> => this.mutate('jobs.create', input),
    describe: (input: TJobRef): Promise<JobView> => this.query('jobs.describe', input),
    /** A page of jobs; pass `nextCursor` back as `cursor` for the next. */
    list: (input?: TListJobs): Promise<Page<JobView>> => this.query('jobs.list', input),
    /** InProgress → Stopping; the job ends Stopped once its running tasks have aborted. */
    stop: (input: TJobRef): Promise<JobView> => this.mutate('jobs.stop', input),
    /** Runs the objects of a Failed or Stopped job that did not complete again, as a new run. */
    retryFailed: (input: TJobRef): Promise<JobView> => this.mutate('jobs.retryFailed', input),
    /** A new job with the same parameters (and any overrides). */
    clone: (input: TCloneJob): Promise<JobView> => this.mutate('jobs.clone', input),
    /** The job's input objects with each one's status, counts, output and error. */
    objects: (input: TJobRef): Promise<JobObjectView[]> => this.query('jobs.objects', input),
  };

  readonly logs = {
    /** A job's log after a cursor (`after`: the previous page's `nextCursor`, as a number). */
    list: (input: TListLogs): Promise<Page<JobLogEntry>> => this.query('logs.list', input),
  };

  readonly metrics = {
    /** Throughput and latency over time, all workers summed, with overall percentiles. */
    get: (input: TJobMetrics): Promise<JobMetricsView> => this.query('metrics.get', input),
  };

  readonly workers = {
    /** Workers that have not stopped, newest heartbeat first. */
    list: (): Promise<WorkerView[]> => this.query('workers.list'),
  };

  readonly comparisons = {
    /** Compares existing jobs (`jobs`), or runs one job per model over one shared snapshot (`variants`); computed once every job ended. */
    create: (input: TCreateComparison): Promise<ComparisonView> => this.mutate('comparisons.create', input),
    /** The comparison and, once computed, every figure. */
    describe: (input: TComparisonRef): Promise<ComparisonView> => this.query('comparisons.describe', input),
    /** A page of comparisons, newest first, without their figures. */
    list: (input?: TListComparisons): Promise<Page<ComparisonSummary>> => this.query('comparisons.list', input),
  };

  /** The caller's own account: who the token acts as, and their personal API tokens. */
  readonly account = {
    /** The user, the team the token acts in, their role there, and every team they belong to. */
    me: (): Promise<AccountView> => this.query('account.me'),
    tokens: {
      list: (): Promise<ApiTokenView[]> => this.query('account.tokens.list'),
      /** A new token acting as the caller in the current team; `token` is in this answer only. */
      create: (input?: TCreateApiToken): Promise<NewApiToken> => this.mutate('account.tokens.create', input),
      revoke: (input: TApiTokenRef): Promise<ApiTokenView> => this.mutate('account.tokens.revoke', input),
    },
  };

  private query<P extends PathOfKind<'query'>>(path: P, input?: SluiceProcedures[P]['input']): Promise<SluiceProcedures[P]['output']> {
    return this.call(() => this.trpc.query(path, input) as Promise<SluiceProcedures[P]['output']>);
  }

  private mutate<P extends PathOfKind<'mutation'>>(path: P, input?: SluiceProcedures[P]['input']): Promise<SluiceProcedures[P]['output']> {
    return this.call(() => this.trpc.mutation(path, input) as Promise<SluiceProcedures[P]['output']>);
  }

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
