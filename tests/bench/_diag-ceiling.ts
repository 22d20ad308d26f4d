import { join } from 'node:path';
import { createHttpTransport, runTransform } from '@sluice/engine';
import { startModelServer } from '@sluice/testkit';
import { writeLineFile, scratchDir } from './bench-support.js';
const batches = Number(process.env.NB ?? 160);
const dir = await scratchDir('diag');
await writeLineFile(join(dir.path, 'in', 'data.txt'), { bytes: batches * 100 * 10400, minLine: 10400, maxLine: 10400 });
const model = await startModelServer('latency', { FIXED_LATENCY_MS: '50', PER_RECORD_MS: '1', CAPACITY: '4' });
const transport = createHttpTransport(model.url, { connections: 4 });
const ev: Array<{ start: number; end: number }> = [];
const t0 = performance.now();
const s = await runTransform({ input: { uri: `file://${dir.path}/in/` }, output: { uri: `file://${dir.path}/out/` }, request: { splitType: 'Line', batchStrategy: 'MultiRecord', maxPayloadInMB: 1, maxConcurrentTransforms: 4, assembleWith: 'Line' }, transport },
  { observer: { invocation: (e) => { const now = performance.now() - t0; ev.push({ start: now - e.latencyMs, end: now }); } } });
console.log(s.status, s.durationMs.toFixed(0), 'ms', (s.records / s.durationMs * 1000).toFixed(0), 'rec/s', 'ideal', batches / 4 * 150);
// in-flight over time
ev.sort((a, b) => a.start - b.start);
const points = ev.flatMap((e) => [[e.start, 1], [e.end, -1]] as [number, number][]).sort((a, b) => a[0] - b[0]);
let cur = 0; let last = points[0]![0]; const timeAt = [0, 0, 0, 0, 0, 0];
for (const [t, d] of points) { timeAt[cur]! += t - last; timeAt[cur] = timeAt[cur]! + 0; last = t; cur += d; }
console.log('time (ms) with n in flight:', timeAt.map((v, i) => `${i}:${v.toFixed(0)}`).join(' '));
const lat = ev.map((e) => e.end - e.start).sort((a, b) => a - b);
console.log('latency p10/p50/p90/max', [0.1, 0.5, 0.9].map((q) => lat[Math.floor(q * lat.length)]!.toFixed(1)).join('/'), lat[lat.length - 1]!.toFixed(1));
console.log('first 8:', ev.slice(0, 8).map((e) => `${e.start.toFixed(0)}-${e.end.toFixed(0)}`).join(' '));
await transport.close(); await model.stop(); await dir.remove();
