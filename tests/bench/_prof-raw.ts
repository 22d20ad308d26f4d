import { rm } from 'node:fs/promises';
import { openStore } from '@sluice/engine';
import { writeLineFile } from './bench-support.js';
const dir = process.env.PDIR ?? '/dev/shm/prof-raw';
const bytes = Number(process.env.PBYTES ?? 1e9);
await writeLineFile(`${dir}/in/data.txt`, { bytes, minLine: 900, maxLine: 1100 });
for (let i = 0; i < Number(process.env.PRUNS ?? 3); i++) {
  await rm(`${dir}/out`, { recursive: true, force: true });
  const t0 = performance.now(); const c0 = process.cpuUsage();
  const src = openStore(`file://${dir}/in/data.txt`); const dst = openStore(`file://${dir}/out/data.txt.out`);
  const w = dst.store.createWriter(dst.key);
  for await (const c of await src.store.read(src.key)) await w.write(c as Buffer);
  await w.complete();
  const ms = performance.now() - t0;
  const ru = process.resourceUsage(); const cd = process.cpuUsage(c0); console.log('cpu-s', ((cd.user + cd.system) / 1e6).toFixed(2), 'user', (cd.user/1e6).toFixed(2), 'sys', (cd.system/1e6).toFixed(2));
  console.log((bytes / 1e6 / (ms / 1000)).toFixed(1), 'MB/s', ms.toFixed(0), 'ms', 'cpu user', (ru.userCPUTime/1e6).toFixed(2), 'sys', (ru.systemCPUTime/1e6).toFixed(2));
}
await rm(dir, { recursive: true, force: true });
