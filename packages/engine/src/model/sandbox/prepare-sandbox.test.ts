import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sandboxesUnderTest, TEST_UIDS } from '../../test-support/sandboxes.js';
import { prepareSandbox, prepareSandboxRoot, sweepSandboxes } from './prepare-sandbox.js';
import { uidHasProcesses } from './uid-processes.js';

const HOLDER = fileURLToPath(new URL('../../test-support/sandbox-holder.ts', import.meta.url));
const notRoot = process.getuid?.() !== 0 ? `not root (uid ${process.getuid?.()}): models cannot run as other uids` : undefined;
const root = await prepareSandboxRoot(join(tmpdir(), 'sluice-test-sandboxes'));

/** A worker process that prepared a sandbox, started something in it (sandbox-holder.ts), and was killed with -9. */
async function crashedWorker(kind: 'user' | 'bwrap' = 'user'): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', HOLDER, root, kind], { stdio: ['ignore', 'pipe', 'inherit'] });
  const uid = await new Promise<number>((resolve, reject) => {
    child.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
    child.once('exit', (code) => reject(new Error(`the holder exited with ${code}`)));
  });
  await expect.poll(() => sleepersOf(uid)).toBe(1);
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
  return uid;
}

function sleepersOf(uid: number): number {
  const wanted = `sleep\0${uid}.5\0`;
  return readdirSync('/proc').filter((pid) => {
    try {
      return /^\d+$/.test(pid) && readFileSync(`/proc/${pid}/cmdline`, 'utf8') === wanted;
    } catch {
      return false;
    }
  }).length;
}

describe('prepareSandbox', () => {
  it('gives a model empty directories that only its own uid may enter, under a root no model can list', async (ctx) => {
    ctx.skip(notRoot !== undefined, notRoot);
    const prepared = await prepareSandbox({ kind: 'user', root, uids: TEST_UIDS });
    try {
      const { uid } = prepared.owner!;
      expect(uid).toBeGreaterThanOrEqual(TEST_UIDS.first);
      expect(prepared.sandbox).toMatchObject({ kind: 'user', uid, gid: uid });
      for (const dir of [prepared.sandbox.home, prepared.sandbox.tmp, prepared.modelDir]) {
        const stats = await stat(dir);
        expect([stats.uid, stats.gid, stats.mode & 0o777], dir).toEqual([uid, uid, 0o700]);
        expect(await readdir(dir)).toEqual([]);
      }
      const rootStats = await stat(root);
      expect([rootStats.uid, rootStats.mode & 0o777]).toEqual([0, 0o711]);
    } finally {
      await prepared.release();
    }
    expect(existsSync(prepared.sandbox.home)).toBe(false);
  });

  it('refuses to sandbox a model as root without a uid of its own (bwrap would map it to root outside)', async (ctx) => {
    ctx.skip(notRoot !== undefined, notRoot);
    await expect(prepareSandbox({ kind: 'bwrap', root, bwrap: '/usr/bin/bwrap', readOnlyPaths: [] })).rejects.toThrow('a bwrap sandbox started by root needs a range of uids to run the model as');
    await expect(prepareSandbox({ kind: 'user', root })).rejects.toThrow('a user sandbox needs a range of uids to run the model as');
  });

  it("ends what a crashed worker's model left running and deletes its files before its uid serves another model", async (ctx) => {
    ctx.skip(notRoot !== undefined, notRoot);
    const uid = await crashedWorker();
    expect(existsSync(join(root, String(uid), 'home', 'left-behind'))).toBe(true);
    const prepared = await prepareSandbox({ kind: 'user', root, uids: { first: uid, last: uid } });
    try {
      expect(prepared.owner!.uid).toBe(uid);
      expect(sleepersOf(uid)).toBe(0);
      expect(await readdir(prepared.sandbox.home)).toEqual([]);
    } finally {
      await prepared.release();
    }
  });

  it('ends a bubblewrapped model with its worker, even one killed with -9, processes outside its group too', async (ctx) => {
    const bwrap = (await sandboxesUnderTest()).find((mode) => mode.kind === 'bwrap')!.unavailable;
    ctx.skip(notRoot !== undefined || bwrap !== undefined, notRoot ?? `bwrap: ${bwrap}`);
    const uid = await crashedWorker('bwrap');
    await expect.poll(() => sleepersOf(uid), { timeout: 5000 }).toBe(0);
    expect(uidHasProcesses(uid)).toBe(false);
  });

  it('sweeps what crashed workers left, but never a live model\'s sandbox', async (ctx) => {
    ctx.skip(notRoot !== undefined, notRoot);
    const live = await prepareSandbox({ kind: 'user', root, uids: TEST_UIDS });
    try {
      const uid = await crashedWorker();
      expect(await sweepSandboxes(root, TEST_UIDS)).toBeGreaterThanOrEqual(1);
      expect(existsSync(join(root, String(uid)))).toBe(false);
      expect(sleepersOf(uid)).toBe(0);
      expect(uidHasProcesses(uid)).toBe(false);
      expect(existsSync(live.sandbox.home)).toBe(true);
    } finally {
      await live.release();
    }
  });
});
