import { Pool } from 'undici';
import { startModelServer } from '@sluice/testkit';
const batches = Number(process.env.NB ?? 160);
const line = Buffer.alloc(10400, 0x61); line[10399] = 10;
const body = Buffer.concat(Array.from({ length: 100 }, () => line));
const model = await startModelServer('latency', { FIXED_LATENCY_MS: '50', PER_RECORD_MS: '1', CAPACITY: '4' });
const pool = new Pool(model.url, { connections: 4, pipelining: 1 });
const lat: number[] = [];
let next = 0;
const t0 = performance.now();
await Promise.all(Array.from({ length: 4 }, async () => {
  while (next++ < batches) {
    const s = performance.now();
    const r = await pool.request({ method: 'POST', path: '/invocations', body: Buffer.from(body) });
    const chunks: Buffer[] = []; for await (const c of r.body) chunks.push(c as Buffer); Buffer.concat(chunks);
    lat.push(performance.now() - s);
  }
}));
const ms = performance.now() - t0;
lat.sort((a, b) => a - b);
console.log('generator', ms.toFixed(0), 'ms', (batches * 100 / ms * 1000).toFixed(0), 'rec/s; ideal', batches / 4 * 150, 'latency p10/p50/p90/max', [0.1, 0.5, 0.9].map((q) => lat[Math.floor(q * lat.length)]!.toFixed(1)).join('/'), lat[lat.length - 1]!.toFixed(1));
await pool.close(); await model.stop();
