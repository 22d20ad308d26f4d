/**
 * Child process of the memory scenario: `node --import tsx --conditions=@sluice/source memory-child.ts <mode> [args]`.
 *   idle                                   loads the engine and an identity model, transforms nothing
 *   transform <input> <output> <concurrency>  runs a Line job with the in-process identity model
 * Prints one JSON line: its own peak RSS and the summary. The peak is the kernel's VmHWM for this
 * process image; process.resourceUsage().maxRSS is not used because Linux carries ru_maxrss over
 * execve, so a child of a big parent reports the parent's size.
 */
import { readFileSync } from 'node:fs';
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
    maxRssBytes: peakRss(),
    rssAtEndBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
    externalBytes: memory.external,
    arrayBuffersBytes: memory.arrayBuffers,
    summary,
  })}\n`,
);

function peakRss(): number {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) * 1024;
  } catch {
    // no /proc: fall back (may overstate, see above)
  }
  return process.resourceUsage().maxRSS * 1024;
}
