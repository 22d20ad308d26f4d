import { rm } from 'node:fs/promises';
import { createInProcessTransport, runTransform } from './_exp/engine/index.js';
import { writeLineFile } from './bench-support.js';
const dir = process.env.PDIR ?? '/dev/shm/prof-copy';
const bytes = Number(process.env.PBYTES ?? 1e9);
const mct = Number(process.env.PMCT ?? 1);
await writeLineFile(`${dir}/in/data.txt`, { bytes, minLine: 900, maxLine: 1100 });
import { PerformanceObserver } from 'node:perf_hooks';
let gcMs = 0, gcN = 0, mcMs = 0, mcN = 0;
new PerformanceObserver((l) => { for (const e of l.getEntries()) { gcMs += e.duration; gcN++; if ((e as any).detail?.kind === 4 || (e as any).kind === 4) { mcMs += e.duration; mcN++; } } }).observe({ entryTypes: ['gc'] });
const transport = createInProcessTransport('identity', (p) => p);
for (let i = 0; i < Number(process.env.PRUNS ?? 3); i++) {
  await rm(`${dir}/out`, { recursive: true, force: true });
  await new Promise((r) => setTimeout(r, 100)); gcMs = gcN = mcMs = mcN = 0;
  const t0 = performance.now(); const c0 = process.cpuUsage();
  const s = await runTransform({ input: { uri: `file://${dir}/in/` }, output: { uri: `file://${dir}/out/` }, request: { splitType: 'Line', batchStrategy: 'MultiRecord', maxPayloadInMB: 6, assembleWith: 'Line', maxConcurrentTransforms: mct }, transport });
  const ms = performance.now() - t0;
  const ru = process.resourceUsage(); const cd = process.cpuUsage(c0); console.log('cpu-s', ((cd.user + cd.system) / 1e6).toFixed(2), 'user', (cd.user/1e6).toFixed(2), 'sys', (cd.system/1e6).toFixed(2));
  console.log('gc', gcN, gcMs.toFixed(0), 'ms; major', mcN, mcMs.toFixed(0), 'ms'); gcMs = gcN = mcMs = mcN = 0;
  console.log(s.status, (bytes / 1e6 / (ms / 1000)).toFixed(1), 'MB/s', ms.toFixed(0), 'ms', 'cpu user', (ru.userCPUTime/1e6).toFixed(2), 'sys', (ru.systemCPUTime/1e6).toFixed(2));
}
await rm(dir, { recursive: true, force: true });
