// The demo's comparison of its two language-identification variants (issue #6): created beside
// the jobs, computed by a worker once both have ended, followed here until its figures are in.
import { nameFromBase, type ComparisonView, type SluiceClient } from '@sluice/sdk';

const POLL_MS = 500;

/** Compares the fastText and franc jobs on the true language of each paragraph. */
export async function createLanguageIdComparison(client: SluiceClient, jobs: [fasttext: string, franc: string], at: Date): Promise<string> {
  const name = nameFromBase('demo-udhr-langid', at);
  await client.comparisons.create({
    name,
    jobs,
    // With JoinSource Input each output line is the input record with the model's answer under
    // SageMakerOutput; the truth is the record's own `lang`.
    groundTruth: '$.lang',
    labelPath: '$.SageMakerOutput.label',
  });
  return name;
}

/** Polls until the comparison is Completed or Failed. */
export async function followComparison(client: SluiceClient, name: string, signal?: AbortSignal): Promise<ComparisonView> {
  for (;;) {
    signal?.throwIfAborted();
    const view = await client.comparisons.describe({ name });
    if (view.status === 'Completed' || view.status === 'Failed') return view;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** A few lines for the summary: agreement, each variant's accuracy and speed, where to look. */
export function formatComparison(view: ComparisonView, url: string): string {
  const lines = [`comparison ${view.name}: ${view.status}${view.failureReason ? `: ${view.failureReason}` : ''}`];
  const results = view.results;
  if (results) {
    const pair = results.pairs[0];
    if (pair) lines.push(`  the variants agree on ${(100 * pair.labelAgreement).toFixed(1)}% of ${pair.records} paragraphs (${results.disagreementCount} disagreements)`);
    for (const variant of results.variants) {
      const accuracy = variant.accuracy === undefined ? '' : `accuracy ${(100 * variant.accuracy).toFixed(1)}%, `;
      const speed = variant.recordsPerSecond === null ? '' : `${Math.round(variant.recordsPerSecond)} records/s, `;
      lines.push(`  ${variant.modelName.padEnd(16)} ${accuracy}${speed}p95 ${variant.latencyMs.p95 === null ? '-' : Math.round(variant.latencyMs.p95)} ms per invocation`);
    }
  }
  // fastText names some languages by their macrolanguage (ara, zho, fas...) where franc and the
  // UDHR name the individual language (arb, cmn, pes...). The comparison takes labels as written.
  lines.push(`  labels as written: fastText's macrolanguage codes (ara for arb, zho for cmn...) count as wrong here; the scores above accept them`);
  lines.push(`  side by side: ${url}/comparisons/${view.name}`);
  return lines.join('\n');
}
