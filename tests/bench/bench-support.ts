/**
 * Shared pieces of the engine benchmark: scale, data files, timing, child processes, results.
 * Benchmarks are not tests (DESIGN.md, "Testing"): each scenario measures the engine against a
 * baseline taken in the same run and says PASS or FAIL against its target ratio.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, open, readFile, rm, stat, statfs } from 'node:fs/promises';
import { cpus, freemem, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants, PerformanceObserver } from 'node:perf_hooks';

export const benchDir = dirname(fileURLToPath(import.meta.url));
export const repoRoot = join(benchDir, '..', '..');
export const cliPath = join(repoRoot, 'apps', 'cli', 'bin', 'sluice.js');

export const MB = 1e6;
export const MiB = 1024 * 1024;

/** BENCH_SCALE multiplies every data size (default 1; 0.1 for a quick run). */
export function benchScale(): number {
  const raw = process.env.BENCH_SCALE;
  if (raw === undefined || raw === '') return 1;
  const scale = Number(raw);
  if (!Number.isFinite(scale) || scale <= 0) throw new Error(`BENCH_SCALE must be a positive number (got '${raw}')`);
  return scale;
}

/** BENCH_RUNS: timed runs per side after the warm-up (default 5); the best one counts. */
export function benchRuns(): number {
  const raw = process.env.BENCH_RUNS;
  const runs = raw ? Number(raw) : 5;
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`BENCH_RUNS must be a positive whole number (got '${raw}')`);
  return runs;
}

export interface Target {
  /** What is compared, e.g. 'engine MB/s ÷ raw copy MB/s'. */
  metric: string;
  op: '>=' | '<=';
  value: number;
  /** Where the target comes from (the issue, or the benchmark's own proposal), when it says. */
  source?: string;
}

/** What a scenario reports: its headline value against its target, and every figure it measured. */
export interface ScenarioResult {
  name: string;
  title: string;
  target: Target;
  value: number;
  pass: boolean;
  figures: Record<string, unknown>;
  notes: string[];
  durationS: number;
}

export function verdict(value: number, target: Target): boolean {
  return target.op === '>=' ? value >= target.value : value <= target.value;
}

export interface Machine {
  cpus: number;
  cpuModel: string;
  node: string;
  platform: string;
  arch: string;
  totalMemoryMB: number;
  freeMemoryMB: number;
  loadAverage: number[];
  tmpdir: string;
}

export function machine(): Machine {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    totalMemoryMB: Math.round(totalmem() / MB),
    freeMemoryMB: Math.round(freemem() / MB),
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
    tmpdir: tmpdir(),
  };
}

// ---------------------------------------------------------------------------------------------
// Output

export function log(line = ''): void {
  process.stdout.write(`${line}\n`);
}

export function mbps(bytes: number, ms: number): number {
  return ms > 0 ? bytes / MB / (ms / 1000) : 0;
}

export function fixed(n: number, digits = 1): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function sizeText(bytes: number): string {
  if (bytes >= 1e9) return `${fixed(bytes / 1e9, 2)} GB`;
  if (bytes >= MB) return `${fixed(bytes / MB, 1)} MB`;
  return `${fixed(bytes / 1e3, 1)} KB`;
}

export function round(n: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export function passText(pass: boolean): string {
  return pass ? 'PASS' : 'FAIL';
}

// ---------------------------------------------------------------------------------------------
// Data

export interface ScratchDir {
  path: string;
  /** 'tmpfs' when the directory is in memory, else 'disk'. */
  medium: 'tmpfs' | 'disk';
  remove: () => Promise<void>;
}

/**
 * A scratch directory for one scenario, removed by `remove()`. BENCH_DIR chooses the parent;
 * otherwise `inMemory` scenarios (throughput ratios, where a disk at a few hundred MB/s would be
 * the only thing measured) use /dev/shm when it has room for `bytesNeeded`, and the rest the OS
 * temp dir.
 */
export async function scratchDir(label: string, options: { inMemory?: boolean; bytesNeeded?: number } = {}): Promise<ScratchDir> {
  let base = process.env.BENCH_DIR || tmpdir();
  if (!process.env.BENCH_DIR && options.inMemory && (await hasRoom('/dev/shm', (options.bytesNeeded ?? 0) * 1.2 + 1e9))) base = '/dev/shm';
  await mkdir(base, { recursive: true });
  const path = await mkdtemp(join(base, `sluice-bench-${label}-`));
  liveScratch.add(path);
  const medium = (await isTmpfs(path)) ? 'tmpfs' : 'disk';
  return {
    path,
    medium,
    remove: async () => {
      await rm(path, { recursive: true, force: true });
      liveScratch.delete(path);
    },
  };
}

/** Scratch directories not yet removed: an interrupted run removes them on its way out. */
const liveScratch = new Set<string>();

/** Stops the children still running and removes every scratch directory still there (Ctrl-C mid-run must not leave gigabytes behind). */
export function removeScratchNow(): void {
  for (const child of liveChildren) child.kill('SIGKILL');
  for (const path of liveScratch) rmSync(path, { recursive: true, force: true });
  liveScratch.clear();
}

async function hasRoom(dir: string, bytes: number): Promise<boolean> {
  try {
    const fs = await statfs(dir);
    return fs.bavail * fs.bsize > bytes && freemem() > bytes;
  } catch {
    return false;
  }
}

/** TMPFS_MAGIC: the file system holding `path` lives in memory. */
async function isTmpfs(path: string): Promise<boolean> {
  try {
    return (await statfs(path)).type === 0x01021994;
  } catch {
    return false;
  }
}

export interface LineFileSpec {
  /** Approximate size: the file ends at the last whole line within it. */
  bytes: number;
  /** Line length in bytes including its '\n'; each line's length is drawn from [min, max]. */
  minLine: number;
  maxLine: number;
  seed?: number;
}

export interface LineFile {
  path: string;
  bytes: number;
  lines: number;
}

/**
 * Writes a file of text lines fast: one pattern of ~64 MB of lines (printable ASCII, lengths drawn
 * from [minLine, maxLine] so lines straddle read chunks at varying points) written again and
 * again in big writes, the last copy cut at a line end.
 */
export async function writeLineFile(path: string, spec: LineFileSpec): Promise<LineFile> {
  const pattern = linePattern(Math.min(spec.bytes, 64 * MiB), spec);
  await mkdir(dirname(path), { recursive: true });
  const handle = await open(path, 'w');
  let written = 0;
  let lines = 0;
  try {
    while (written < spec.bytes) {
      let piece = pattern.buffer;
      let pieceLines = pattern.lines;
      if (written + piece.length > spec.bytes) {
        const cut = piece.lastIndexOf(0x0a, spec.bytes - written - 1);
        if (cut < 0) break;
        piece = piece.subarray(0, cut + 1);
        pieceLines = countNewlines(piece);
      }
      await handle.write(piece);
      written += piece.length;
      lines += pieceLines;
    }
  } finally {
    await handle.close();
  }
  return { path, bytes: written, lines };
}

function linePattern(bytes: number, spec: LineFileSpec): { buffer: Buffer; lines: number } {
  const random = seededRandom(spec.seed ?? 1);
  const noise = randomBytes(Math.max(bytes, spec.maxLine));
  const buffer = Buffer.allocUnsafe(bytes);
  let at = 0;
  let lines = 0;
  while (at < bytes) {
    const length = spec.minLine + Math.floor(random() * (spec.maxLine - spec.minLine + 1));
    if (at + length > bytes) break;
    // Printable ASCII (0x21..0x7e) from random noise, then the newline.
    for (let i = at, end = at + length - 1; i < end; i++) buffer[i] = 0x21 + (noise[i]! % 94);
    buffer[at + length - 1] = 0x0a;
    at += length;
    lines++;
  }
  return { buffer: buffer.subarray(0, at), lines };
}

function countNewlines(buffer: Buffer): number {
  let n = 0;
  for (let at = buffer.indexOf(0x0a); at >= 0; at = buffer.indexOf(0x0a, at + 1)) n++;
  return n;
}

/** mulberry32: reproducible line lengths from run to run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** True when both files have the same size and the same bytes at a few spread-out places. */
export async function sameFile(a: string, b: string, samples = 16, sampleBytes = 64 * 1024): Promise<boolean> {
  const [sa, sb] = await Promise.all([stat(a), stat(b)]);
  if (sa.size !== sb.size) return false;
  const [ha, hb] = await Promise.all([open(a, 'r'), open(b, 'r')]);
  try {
    const bufA = Buffer.alloc(sampleBytes);
    const bufB = Buffer.alloc(sampleBytes);
    for (let i = 0; i < samples; i++) {
      const position = Math.max(0, Math.floor(((sa.size - sampleBytes) * i) / Math.max(1, samples - 1)));
      const [ra, rb] = await Promise.all([ha.read(bufA, 0, sampleBytes, position), hb.read(bufB, 0, sampleBytes, position)]);
      if (ra.bytesRead !== rb.bytesRead || !bufA.subarray(0, ra.bytesRead).equals(bufB.subarray(0, rb.bytesRead))) return false;
    }
    return true;
  } finally {
    await Promise.all([ha.close(), hb.close()]);
  }
}

// ---------------------------------------------------------------------------------------------
// Timing

/** Lets the GC and the disk settle between timed runs. */
export async function settle(ms = 300): Promise<void> {
  (globalThis as { gc?: () => void }).gc?.();
  await new Promise((resolve) => setTimeout(resolve, ms));
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Counts this process's garbage collections (major = mark-compact) while `run` runs. */
export async function countingGc<T>(run: () => Promise<T>): Promise<{ value: T; gc: GcCount; cpuMs: number }> {
  const gc: GcCount = { major: 0, minor: 0, pauseMs: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as unknown as { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) gc.major++;
      else if (kind === constants.NODE_PERFORMANCE_GC_MINOR) gc.minor++;
      gc.pauseMs += entry.duration;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  const cpu = process.cpuUsage();
  try {
    const value = await run();
    const used = process.cpuUsage(cpu);
    // GC entries are delivered asynchronously: let the last ones arrive.
    await new Promise((resolve) => setImmediate(resolve));
    return { value, gc, cpuMs: (used.user + used.system) / 1000 };
  } finally {
    observer.disconnect();
  }
}

export interface GcCount {
  major: number;
  minor: number;
  /** Main-thread pause, all kinds. */
  pauseMs: number;
}

/** The 1-minute load average, and a warning when other work is likely to skew the figures. */
export function loadNote(): string {
  const [one] = loadavg();
  const n = cpus().length;
  return `load ${fixed(one ?? 0, 2)} on ${n} CPUs${(one ?? 0) > n * 0.75 ? ' — the machine is busy: figures will be noisy' : ''}`;
}

// ---------------------------------------------------------------------------------------------
// Child processes

const liveChildren = new Set<ChildProcess>();

export interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** From spawn to exit. */
  wallMs: number;
  /** Peak resident set (VmHWM) seen by polling /proc/<pid>/status, in bytes (0 where /proc is absent). */
  peakRssBytes: number;
}

/**
 * Runs `node args...` as a child and waits for it to exit, polling its VmHWM (the kernel's own
 * peak RSS, so a short spike between polls is not missed as long as one poll lands before exit).
 */
export function runNode(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; pollMs?: number } = {}): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, {
      cwd: options.cwd ?? repoRoot,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    liveChildren.add(child);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    let peak = 0;
    let polling = false;
    const poll = async () => {
      if (polling || child.pid === undefined) return;
      polling = true;
      try {
        const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
        const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
        if (match) peak = Math.max(peak, Number(match[1]) * 1024);
      } catch {
        // The child has exited (or there is no /proc): keep the last reading.
      } finally {
        polling = false;
      }
    };
    const timer = setInterval(() => void poll(), options.pollMs ?? 50);
    child.on('error', (error) => {
      clearInterval(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearInterval(timer);
      liveChildren.delete(child);
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        wallMs: performance.now() - started,
        peakRssBytes: peak,
      });
    });
  });
}

/** The last line of `text` that parses as a JSON object. */
export function lastJsonLine<T>(text: string): T {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('{'));
  for (let i = lines.length - 1; i >= 0; i--) {
    try {
      return JSON.parse(lines[i]!) as T;
    } catch {
      // not JSON after all
    }
  }
  throw new Error(`no JSON summary in output:\n${text.slice(-2000)}`);
}

export function fileUri(path: string): string {
  return `file://${path}`;
}
