// A reference model server that keeps SageMaker's container contract (GET /ping, POST
// /invocations, GET /execution-parameters), with behaviours that tests and benchmarks choose by
// environment. Plain .mjs with no dependencies, so `node reference-model.mjs` starts in tens of
// milliseconds and runs anywhere, including under `sluice --model-command`.
//
// MODE is a comma-separated list (default `echo`); a mode's knobs are environment variables:
//   echo            answers the body as it came (no per-line work: the benchmarks' model)
//   upper           uppercases ASCII letters
//   latency         service time FIXED_LATENCY_MS + PER_RECORD_MS × lines, at most CAPACITY
//                   requests in service at once (the others queue): a model with a fixed speed.
//                   The knobs apply whatever the mode; `latency` alone behaves like echo.
//   flaky           answers FAIL_STATUS (503) to the first FAIL_FIRST requests, to every
//                   FAIL_EVERY-th request, and to a FAIL_RATE share drawn from a PRNG seeded by SEED.
//                   Past the first FAIL_FIRST, a body refused once is served on its next try, so
//                   one retry always recovers however concurrent requests interleave
//   miscount        drops the last line of multi-line answers
//   crash-after     answers CRASH_AFTER (1) invocations, then exits with CRASH_EXIT_CODE (1) on
//                   receiving the next one, without answering it
//   fail-on         answers 400 naming the line when any line of the body contains FAIL_MARKER (BAD)
//   exec-params     answers /execution-parameters with EXECUTION_PARAMETERS (served whenever that
//                   variable is set; a default when not); other modes answer 404 there
//   never-healthy   /ping answers 503 forever
//   slow-ping       /ping answers 503 until READY_AFTER_MS (1000) have passed since start
// PING_DELAY_MS delays every /ping answer. GET /stats returns counters for tests to assert on
// (invocationSockets counts the connections that carried invocations: a client's keep-alive reuse).
// PORT (default 8080; 0 picks a free one) is announced as "listening on http://127.0.0.1:<port>".
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import process from 'node:process';
import { Buffer } from 'node:buffer';
import { setTimeout } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';

const env = process.env;
const modes = new Set((env.MODE ?? process.argv[2] ?? 'echo').split(',').map((m) => m.trim()).filter(Boolean));
const num = (name, fallback) => (env[name] === undefined || env[name] === '' ? fallback : Number(env[name]));

const fixedLatencyMs = num('FIXED_LATENCY_MS', 0);
const perRecordMs = num('PER_RECORD_MS', 0);
const capacity = num('CAPACITY', Infinity);
const flaky = modes.has('flaky');
const failStatus = num('FAIL_STATUS', 503);
const failFirst = num('FAIL_FIRST', 0);
const failEvery = num('FAIL_EVERY', 0);
const failRate = num('FAIL_RATE', flaky && !env.FAIL_FIRST && !env.FAIL_EVERY ? 0.5 : 0);
const crashAfter = modes.has('crash-after') ? num('CRASH_AFTER', 1) : Infinity;
const failOn = modes.has('fail-on') ? Buffer.from(env.FAIL_MARKER ?? 'BAD') : undefined;
const executionParameters =
  env.EXECUTION_PARAMETERS ??
  (modes.has('exec-params') ? '{"MaxConcurrentTransforms":4,"BatchStrategy":"MULTI_RECORD","MaxPayloadInMB":1}' : undefined);
const readyAt = modes.has('never-healthy') ? Infinity : modes.has('slow-ping') ? Date.now() + num('READY_AFTER_MS', 1000) : 0;
const pingDelayMs = num('PING_DELAY_MS', 0);

// mulberry32: a tiny seeded PRNG, so a flaky run fails the same requests every time.
let seed = num('SEED', 1) >>> 0;
function random() {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const socketsSeen = new WeakSet();
const stats = {
  requests: 0,
  pings: 0,
  inFlight: 0,
  maxConcurrent: 0,
  sockets: 0,
  openSockets: 0,
  invocationSockets: 0,
  bytesIn: 0,
  lastContentType: null,
  lastAccept: null,
  env: Object.fromEntries(
    Object.entries(env).filter(([k]) => k === 'PORT' || k === 'MODE' || k === 'SM_MODEL_DIR' || k.startsWith('SAGEMAKER_')),
  ),
};

// Requests beyond CAPACITY wait here in arrival order, as in a model server with N workers.
let inService = 0;
const waiting = [];
async function serve(ms) {
  if (inService >= capacity) await new Promise((resolve) => waiting.push(resolve));
  inService++;
  try {
    await sleep(ms);
  } finally {
    inService--;
    waiting.shift()?.();
  }
}

function countLines(body) {
  if (body.length === 0) return 0;
  let n = 0;
  for (let i = body.indexOf(10); i !== -1; i = body.indexOf(10, i + 1)) n++;
  return body[body.length - 1] === 10 ? n : n + 1;
}

function upper(body) {
  const out = Buffer.allocUnsafe(body.length);
  for (let i = 0; i < body.length; i++) {
    const b = body[i];
    out[i] = b >= 97 && b <= 122 ? b - 32 : b;
  }
  return out;
}

function dropLastLine(body) {
  const end = body[body.length - 1] === 10 ? body.length - 1 : body.length;
  const cut = body.lastIndexOf(10, end - 1);
  return cut === -1 ? body : body.subarray(0, cut + 1);
}

// Bodies refused on their last try (only in flaky mode).
const refused = new Set();
const bodyKey = (body) => (body.length <= 64 ? body.toString('latin1') : createHash('sha1').update(body).digest('latin1'));

function shouldFail(n, body) {
  if (!flaky) return false;
  if (n <= failFirst) return true;
  const chosen = (failEvery > 0 && n % failEvery === 0) || (failRate > 0 && random() < failRate);
  const key = bodyKey(body);
  if (refused.delete(key)) return false;
  if (chosen) refused.add(key);
  return chosen;
}

async function invoke(req, res, body) {
  const n = ++stats.requests;
  if (n > crashAfter) {
    process.stderr.write(`reference model: crashing on invocation ${n} (CRASH_AFTER=${crashAfter})\n`);
    process.exit(num('CRASH_EXIT_CODE', 1));
  }
  stats.bytesIn += body.length;
  stats.lastContentType = req.headers['content-type'] ?? null;
  stats.lastAccept = req.headers['accept'] ?? null;

  const serviceMs = fixedLatencyMs + (perRecordMs > 0 ? perRecordMs * countLines(body) : 0);
  if (serviceMs > 0 || capacity !== Infinity) await serve(serviceMs);

  if (shouldFail(n, body)) return answer(res, failStatus, `reference model: flaky failure on request ${n}\n`);
  if (failOn) {
    const at = body.indexOf(failOn);
    if (at !== -1) {
      const line = countLines(body.subarray(0, at + 1));
      return answer(res, 400, `reference model: record on line ${line} contains ${failOn}\n`);
    }
  }
  let out = modes.has('upper') ? upper(body) : body;
  if (modes.has('miscount')) out = dropLastLine(out);
  answer(res, 200, out, req.headers['accept'] ?? req.headers['content-type']);
}

function answer(res, status, body, contentType = 'text/plain') {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0, noDelay: true }, (req, res) => {
  const path = req.url ?? '/';
  if (req.method === 'POST' && path === '/invocations') {
    if (!socketsSeen.has(req.socket)) {
      socketsSeen.add(req.socket);
      stats.invocationSockets++;
    }
    stats.inFlight++;
    if (stats.inFlight > stats.maxConcurrent) stats.maxConcurrent = stats.inFlight;
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
      invoke(req, res, body).finally(() => stats.inFlight--);
    });
    return;
  }
  req.resume();
  if (req.method === 'GET' && path === '/ping') {
    stats.pings++;
    const reply = () => answer(res, Date.now() >= readyAt ? 200 : 503, '');
    if (pingDelayMs > 0) setTimeout(reply, pingDelayMs);
    else reply();
  } else if (req.method === 'GET' && path === '/execution-parameters') {
    if (executionParameters === undefined) answer(res, 404, 'no execution parameters\n');
    else answer(res, 200, executionParameters, 'application/json');
  } else if (req.method === 'GET' && path === '/stats') {
    answer(res, 200, JSON.stringify(stats), 'application/json');
  } else {
    answer(res, 404, `reference model: no route ${req.method} ${path}\n`);
  }
});
server.keepAliveTimeout = 65_000;
server.on('connection', (socket) => {
  stats.sockets++;
  stats.openSockets++;
  socket.on('close', () => stats.openSockets--);
});
server.listen(num('PORT', 8080), '127.0.0.1', () => {
  process.stdout.write(`reference model (${[...modes].join(',')}) listening on http://127.0.0.1:${server.address().port}\n`);
});
