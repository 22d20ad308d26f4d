// The API procedures the SDK calls, by path: whether each is a query or a mutation, what it takes
// and what it answers, in @sluice/contracts' types alone. The router's own type (AppRouter) lives
// in @sluice/api, a server package; naming it here would put the server in the published SDK's
// declarations. procedures.test.ts checks every row against the router, so the two cannot drift.
import type {
  AccountView,
  ApiTokenView,
  ComparisonSummary,
  ComparisonView,
  JobLogEntry,
  JobMetricsView,
  JobObjectView,
  JobView,
  ModelView,
  NewApiToken,
  Page,
  TApiTokenRef,
  TCloneJob,
  TComparisonRef,
  TCreateApiToken,
  TCreateComparison,
  TCreateJob,
  TCreateModel,
  TJobMetrics,
  TJobRef,
  TListComparisons,
  TListJobs,
  TListLogs,
  TModelRef,
  WorkerView,
} from '@sluice/contracts';

interface Query<I, O> {
  kind: 'query';
  input: I;
  output: O;
}
interface Mutation<I, O> {
  kind: 'mutation';
  input: I;
  output: O;
}

export interface SluiceProcedures {
  'models.create': Mutation<TCreateModel, ModelView>;
  'models.get': Query<TModelRef, ModelView>;
  'models.list': Query<void, ModelView[]>;
  'models.delete': Mutation<TModelRef, void>;
  'jobs.create': Mutation<TCreateJob, JobView>;
  'jobs.describe': Query<TJobRef, JobView>;
  'jobs.list': Query<TListJobs | undefined, Page<JobView>>;
  'jobs.stop': Mutation<TJobRef, JobView>;
  'jobs.retryFailed': Mutation<TJobRef, JobView>;
  'jobs.clone': Mutation<TCloneJob, JobView>;
  'jobs.objects': Query<TJobRef, JobObjectView[]>;
  'logs.list': Query<TListLogs, Page<JobLogEntry>>;
  'metrics.get': Query<TJobMetrics, JobMetricsView>;
  'workers.list': Query<void, WorkerView[]>;
  'comparisons.create': Mutation<TCreateComparison, ComparisonView>;
  'comparisons.describe': Query<TComparisonRef, ComparisonView>;
  'comparisons.list': Query<TListComparisons | undefined, Page<ComparisonSummary>>;
  'account.me': Query<void, AccountView>;
  'account.tokens.list': Query<void, ApiTokenView[]>;
  'account.tokens.create': Mutation<TCreateApiToken | undefined, NewApiToken>;
  'account.tokens.revoke': Mutation<TApiTokenRef, ApiTokenView>;
}

export type ProcedurePath = keyof SluiceProcedures;

/** The paths of one kind: `query()` takes only queries, `mutate()` only mutations. */
export type PathOfKind<K extends 'query' | 'mutation'> = { [P in ProcedurePath]: SluiceProcedures[P]['kind'] extends K ? P : never }[ProcedurePath];
