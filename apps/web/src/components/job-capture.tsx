import type { JobView } from '@sluice/contracts';

/**
 * The job page's "Data capture" line (a `<dt>`/`<dd>` pair for its details list): the manifests of
 * the job's inputs and outputs that DataCaptureConfig writes for model monitoring, and whether
 * they are there yet. Nothing for a job without capture.
 */
export function JobCaptureLine({ job }: { job: JobView }) {
  const config = job.transform.dataCaptureConfig;
  if (!config) return null;
  const running = job.status === 'InProgress' || job.status === 'Stopping';
  const notWritten = job.failureReason?.startsWith('DataCaptureConfig:') || (!running && job.progress.objectsCompleted === 0);
  const note = !job.capture
    ? `under ${config.destinationS3Uri}, once the job starts`
    : running
      ? 'written when the job ends'
      : notWritten
        ? 'not written: no object completed, or the destination refused them (see why above and in the log)'
        : undefined;
  const extras = [config.generateInferenceId ? 'inference ids in every output record' : undefined, config.kmsKeyId ? `SSE-KMS ${config.kmsKeyId}` : undefined].filter(Boolean);
  return (
    <>
      <dt className="text-slate-700">Data capture</dt>
      <dd className="min-w-0 text-sm" data-job-capture>
        {job.capture && (
          <ul className="space-y-0.5">
            <li className="break-all font-mono text-xs leading-5">
              <span className="font-sans text-slate-700">inputs </span>
              {job.capture.input}
            </li>
            <li className="break-all font-mono text-xs leading-5">
              <span className="font-sans text-slate-700">outputs </span>
              {job.capture.output}
            </li>
          </ul>
        )}
        {(note || extras.length > 0) && <p className="text-xs text-slate-700">{[note, ...extras].filter(Boolean).join('; ')}</p>}
      </dd>
    </>
  );
}
