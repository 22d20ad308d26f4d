import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { TEST_UIDS } from '../../test-support/sandboxes.js';
import { leaseUid, tryLeaseUid } from './uid-lease.js';

describe('leaseUid', () => {
  it('gives each holder a uid of its own, and a released uid to the next', async () => {
    const first = await leaseUid(TEST_UIDS);
    const range = { first: first.uid, last: first.uid };
    await expect(leaseUid(range)).rejects.toThrow(`every uid from ${first.uid} to ${first.uid} runs a model on this host: widen the range (SLUICE_MODEL_UIDS) or run fewer models at once`);
    const second = await leaseUid(TEST_UIDS);
    expect(second.uid).not.toBe(first.uid);
    await first.release();
    const again = await leaseUid(range);
    expect(again.uid).toBe(first.uid);
    await Promise.all([again.release(), second.release(), first.release()]);
  });

  it('holds a uid against other processes until its holder dies, even killed with -9', async () => {
    const held = await leaseUid(TEST_UIDS);
    await held.release();
    // Another process (a worker) holds the uid: the kernel's lock, not this process's memory.
    const holder = spawn(process.execPath, ['-e', `require('net').createServer().listen({ path: '\\0sluice-model-uid-${held.uid}' }, () => console.log('held'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((resolve) => holder.stdout.once('data', resolve));
    expect(await tryLeaseUid(held.uid)).toBeUndefined();
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.once('exit', resolve));
    const lease = await tryLeaseUid(held.uid);
    expect(lease?.uid).toBe(held.uid);
    await lease!.release();
  });
});
