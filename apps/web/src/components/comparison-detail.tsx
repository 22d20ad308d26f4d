'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import type { ComparisonResults, ComparisonView } from '@sluice/contracts';
import { variantName } from '@/lib/comparison-format';
import { formatCount, formatDateTime, formatDuration } from '@/lib/format';
import { useTRPC } from '@/trpc/client';
import { ComparisonDisagreements } from './comparison-disagreements';
import { ComparisonHeatmap, confusionMatrices } from './comparison-heatmap';
import { ComparisonJobs } from './comparison-jobs';
import { ComparisonLatencyChart } from './comparison-latency-chart';
import { ComparisonPairsTable } from './comparison-pairs-table';
import { ComparisonPerClass } from './comparison-per-class';
import { ComparisonStatusBadge, isComparisonLive } from './comparison-status-badge';
import { ComparisonVariantsTable } from './comparison-variants-table';
import { ErrorMessage } from './error-message';
import { LoadingState } from './loading-state';
import { Section } from './section';

const LIVE_REFRESH_MS = 2_000;

export function ComparisonDetail({ name }: { name: string }) {
  const trpc = useTRPC();
  const comparison = useQuery(trpc.comparisons.describe.queryOptions({ name }, { refetchInterval: (q) => (isComparisonLive(q.state.data?.status) ? LIVE_REFRESH_MS : false) }));

  if (comparison.isPending) return <LoadingState label="Loading the comparison…" rows={6} />;
  if (comparison.isError)
    return (
      <div className="space-y-4">
        <BackLink />
        <ErrorMessage title={`Could not load comparison ${name}`} error={comparison.error} onRetry={() => void comparison.refetch()} />
      </div>
    );
  const c = comparison.data;
  const live = isComparisonLive(c.status);
  return (
    <div className="space-y-8">
      <div className="space-y-3">
        <BackLink />
        <header className="min-w-0">
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="break-all text-2xl font-semibold tracking-tight">{c.name}</h1>
            <ComparisonStatusBadge status={c.status} />
          </div>
          <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
            <dt className="text-slate-700">Ground truth</dt>
            <dd className="font-mono text-xs leading-5">{c.groundTruth ?? <span className="font-sans text-sm text-slate-600">none: accuracy, precision and recall are not computed</span>}</dd>
            <dt className="text-slate-700">Label path</dt>
            <dd className="font-mono text-xs leading-5">{c.labelPath ?? <span className="font-sans text-sm text-slate-600">none: whole output records are compared</span>}</dd>
            <dt className="text-slate-700">Created by</dt>
            <dd>
              {c.createdBy} <span className="text-slate-700">on {formatDateTime(c.creationTime)}</span>
            </dd>
            {c.startTime && (
              <>
                <dt className="text-slate-700">Analysis</dt>
                <dd>
                  {formatDateTime(c.startTime)}
                  {c.endTime && <span className="text-slate-700"> · took {formatDuration(c.endTime.getTime() - c.startTime.getTime())}</span>}
                </dd>
              </>
            )}
          </dl>
        </header>
        {c.status === 'Failed' && (
          <div role="alert" className="rounded-lg border-l-4 border-red-700 bg-red-50 p-4 text-red-900">
            <p className="font-semibold">Why it failed</p>
            <p className="mt-1 whitespace-pre-wrap break-words">{c.failureReason ?? 'The service gave no reason.'}</p>
          </div>
        )}
      </div>

      <Section title="Jobs" id="jobs" aside={live ? <LiveNote status={c.status} /> : undefined}>
        <ComparisonJobs comparison={c} live={live} />
      </Section>

      {c.status === 'Completed' && c.results && <Results comparison={c} results={c.results} />}
    </div>
  );
}

function Results({ comparison, results }: { comparison: ComparisonView; results: ComparisonResults }) {
  const names = results.variants.map((_, i) => variantName(comparison, results, i));
  const matrices = confusionMatrices(results, names);
  const withTruth = results.variants.some((v) => v.perClass && v.perClass.length > 0);
  return (
    <>
      <Section title="Variants" id="variants" aside={<span className="text-sm text-slate-700">★ best of a row</span>}>
        <CoverageNote results={results} />
        <ComparisonVariantsTable variants={results.variants} />
      </Section>

      <Section title="Agreement" id="agreement">
        <ComparisonPairsTable pairs={results.pairs} names={names} />
      </Section>

      <Section title="Latency" id="latency">
        <ComparisonLatencyChart variants={results.variants} boundsMs={results.latencyBucketsMs} />
      </Section>

      <Section title="Confusion" id="confusion" aside={matrices.length > 1 ? <span className="text-sm text-slate-700">{matrices.length} matrices</span> : undefined}>
        <ComparisonHeatmap matrices={matrices} />
      </Section>

      {withTruth && (
        <Section title="Precision and recall" id="per-class">
          <ComparisonPerClass variants={results.variants} />
        </Section>
      )}

      <Section title="Disagreements" id="disagreements">
        <ComparisonDisagreements disagreements={results.disagreements} total={results.disagreementCount} names={names} pairs={results.pairs} labelPath={comparison.labelPath} />
      </Section>
    </>
  );
}

/** What the figures cover: records and objects compared, and what had to be left out and why. */
function CoverageNote({ results }: { results: ComparisonResults }) {
  const skipped = results.objects?.skipped ?? 0;
  const withoutTruth = results.recordsWithoutTruth ?? 0;
  return (
    <div className="space-y-2">
      <p className="text-sm text-slate-800" data-coverage>
        <span className="font-semibold tabular-nums" data-records-compared>
          {formatCount(results.records)}
        </span>{' '}
        records compared
        {results.objects && ` in ${formatCount(results.objects.compared)} ${results.objects.compared === 1 ? 'object' : 'objects'}`}.
      </p>
      {(skipped > 0 || withoutTruth > 0) && (
        <div className="rounded-lg border-l-4 border-amber-600 bg-amber-50 p-3 text-sm text-amber-950" data-coverage-warning>
          {skipped > 0 && (
            <p>
              {formatCount(skipped)} {skipped === 1 ? 'object was' : 'objects were'} skipped because some variant did not complete {skipped === 1 ? 'it' : 'them'}
              {results.objects!.skippedKeys.length > 0 && (
                <>
                  : <span className="break-all font-mono text-xs">{results.objects!.skippedKeys.join(', ')}</span>
                  {skipped > results.objects!.skippedKeys.length && ' and more'}
                </>
              )}
              .
            </p>
          )}
          {withoutTruth > 0 && <p>{formatCount(withoutTruth)} records had no readable ground truth and are left out of accuracy, precision and recall.</p>}
        </div>
      )}
    </div>
  );
}

function LiveNote({ status }: { status: string }) {
  return (
    <span className="text-sm text-slate-700" aria-live="polite">
      {status === 'WaitingForJobs' ? 'Waiting for the jobs to finish' : 'Comparing the outputs'} · refreshing every 2 s
    </span>
  );
}

function BackLink() {
  return (
    <Link href="/comparisons" className="text-sm font-medium text-blue-800 underline-offset-2 hover:underline">
      ← All comparisons
    </Link>
  );
}
