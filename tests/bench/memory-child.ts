/**
 * Child process of the memory scenario: `node --import tsx memory-child.ts <mode> [args]`.
 *   idle                                   loads the engine and an identity model, transforms nothing
 *   transform <input> <output> <concurrency>  runs a Line job with the in-process identity model
 * Prints one JSON line: its own peak RSS (process.resourceUsage().maxRSS) and the summary.
 */
import { createInProcessTransport, runTransform } from '@sluice/engine';

const [mode, input, output, concurrency] = process.argv.slice(2);
const transport = createInProcessTransport('identity', (payload) => payload);

let summary: Record<string, unknown> | undefined;
if (mode === 'transform') {
  const result = await runTransform({
    input: { uri: input! },
    output: { uri: output! },
    request: {
      splitType: 'Line',
      batchStrategy: 'MultiRecord',
      maxPayloadInMB: 6,
      assembleWith: 'Line',
      maxConcurrentTransforms: Number(concurrency ?? 1),
    },
    transport,
  });
  summary = {
    status: result.status,
    records: result.records,
    bytesIn: result.bytesIn,
    bytesOut: result.bytesOut,
    durationMs: result.durationMs,
    failureReason: result.failureReason,
  };
} else if (mode !== 'idle') {
  throw new Error(`unknown mode '${mode}' (idle | transform)`);
} else {
  // As long as a short job's start-up, so that the idle figure is taken the same way.
  await new Promise((resolve) => setTimeout(resolve, 200));
}
await transport.close();
const memory = process.memoryUsage();
process.stdout.write(
  `${JSON.stringify({
    mode,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    rssAtEndBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
    externalBytes: memory.external,
    arrayBuffersBytes: memory.arrayBuffers,
    summary,
  })}\n`,
);
