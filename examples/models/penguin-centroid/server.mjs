#!/usr/bin/env node
// A nearest-centroid classifier behind the SageMaker container protocol: a model written as a
// plain HTTP server in one file, run as a `command` model (tests/service/jobs.test.ts runs it with
// a .tar.gz artifact). It reads its parameters from $SM_MODEL_DIR/model.json
// ({features, mean, std, centroids}), listens on $PORT, and answers POST /invocations with one
// label per CSV line:
//   in:  bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g   (one row per line)
//   out: Adelie                                                       (one label per line)
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const modelDir = process.env.SM_MODEL_DIR ?? '/opt/ml/model';
const model = JSON.parse(readFileSync(join(modelDir, 'model.json'), 'utf8'));
const { mean, std, centroids } = model; // features standardized with mean/std, then nearest centroid

function classify(row) {
  const x = row.split(',').map((v, i) => (Number(v) - mean[i]) / std[i]);
  if (x.length !== mean.length || x.some(Number.isNaN)) throw new Error(`expected ${mean.length} numbers, got '${row}'`);
  let best = '';
  let bestDistance = Infinity;
  for (const [label, c] of Object.entries(centroids)) {
    const d = c.reduce((sum, ci, i) => sum + (x[i] - ci) ** 2, 0);
    if (d < bestDistance) [best, bestDistance] = [label, d];
  }
  return best;
}

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/ping') return res.writeHead(200).end();
  if (req.method === 'GET' && req.url === '/execution-parameters') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify({ MaxConcurrentTransforms: 2, BatchStrategy: 'MULTI_RECORD', MaxPayloadInMB: 1 }));
  }
  if (req.method === 'POST' && req.url === '/invocations') {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      try {
        const rows = Buffer.concat(chunks).toString('utf8').split('\n').filter((l) => l.trim() !== '');
        res.writeHead(200, { 'content-type': 'text/csv' });
        res.end(rows.map((r) => classify(r.trim())).join('\n') + '\n');
      } catch (error) {
        res.writeHead(400, { 'content-type': 'text/plain' });
        res.end(error.message);
      }
    });
    return;
  }
  res.writeHead(404).end();
});
server.listen(Number(process.env.PORT ?? 8080), '127.0.0.1', () => {
  console.log(`penguin-centroid listening on ${server.address().port} (${Object.keys(centroids).length} classes)`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
