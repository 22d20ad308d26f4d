'use client';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { TPreviewInput } from '@sluice/contracts';
import { errorMessage, formatBytes, formatCount } from '@/lib/format';
import { useTRPC } from '@/trpc/client';

/**
 * "Check input": what a job would read from the URI as the form stands now (data type, split and
 * compression included), before anyone creates the job.
 */
export function InputCheck({ values }: { values: Record<string, string | undefined> }) {
  const trpc = useTRPC();
  const [request, setRequest] = useState<TPreviewInput | null>(null);
  const preview = useQuery({ ...trpc.jobs.previewInput.queryOptions(request ?? { uri: '' }), enabled: request !== null, retry: false, refetchOnWindowFocus: false });

  const check = () => {
    const next: TPreviewInput = { uri: values['input.uri']?.trim() ?? '' };
    if (values['input.dataType']) next.dataType = values['input.dataType'] as TPreviewInput['dataType'];
    if (values['transform.splitType']) next.splitType = values['transform.splitType'] as TPreviewInput['splitType'];
    if (values['transform.compressionType']) next.compressionType = values['transform.compressionType'] as TPreviewInput['compressionType'];
    // The same request again means "look again": the objects may have changed since.
    if (JSON.stringify(next) === JSON.stringify(request)) void preview.refetch();
    else setRequest(next);
  };

  const issues = (preview.error?.data as { issues?: Array<{ path: string; message: string }> } | undefined)?.issues;
  const problem = preview.isError ? (issues?.find((i) => i.path === 'uri')?.message ?? errorMessage(preview.error)) : null;
  return (
    <div className="mt-2" data-input-check>
      <button type="button" onClick={check} disabled={preview.isFetching} className="rounded border border-slate-400 bg-white px-3 py-1 text-sm font-medium text-slate-900 hover:bg-slate-100 disabled:opacity-60">
        {preview.isFetching ? 'Checking…' : 'Check input'}
      </button>
      <div aria-live="polite">
        {problem && !preview.isFetching && (
          <p className="mt-1 text-sm font-medium text-red-800" data-input-check-error>
            {problem}
          </p>
        )}
        {preview.isSuccess && !preview.isFetching && (
          <div className="mt-2 space-y-1 text-sm" data-input-check-result>
            <p>
              <span data-input-objects>{formatCount(preview.data.objects)} {preview.data.objects === 1 ? 'object' : 'objects'}</span>, {formatBytes(preview.data.totalBytes)}
            </p>
            {preview.data.firstObject && (
              <p className="break-all text-xs text-slate-700">
                First records of <span className="font-mono">{preview.data.firstObject.uri}</span>
                {preview.data.truncated ? ' (more follow)' : ''}
              </p>
            )}
            <ol className="max-h-60 overflow-auto rounded border border-slate-200 bg-slate-50 p-2 font-mono text-xs" aria-label="First records">
              {preview.data.records.map((record, i) => (
                <li key={i} className="whitespace-pre-wrap break-all border-b border-slate-200 py-0.5 last:border-0">
                  {record}
                </li>
              ))}
            </ol>
          </div>
        )}
      </div>
    </div>
  );
}
