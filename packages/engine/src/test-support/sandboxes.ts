// The kinds of sandbox a test can run models in on this machine, each with the reason it cannot
// when it cannot, so that tests cover every kind available and say why one was skipped.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sandboxAvailability, type SandboxAvailability } from '../model/sandbox/check-sandbox.js';
import { prepareSandbox, prepareSandboxRoot, type PreparedSandbox } from '../model/sandbox/prepare-sandbox.js';
import type { UidRange } from '../model/sandbox/uid-lease.js';

/** Uids for tests' models: leased as a worker leases them, so tests and workers never share one. */
export const TEST_UIDS: UidRange = { first: 60578, last: 61183 };

export interface SandboxUnderTest {
  kind: 'none' | 'user' | 'bwrap';
  /** Why this machine cannot run it (skip with this), or undefined. */
  unavailable: string | undefined;
  /** A fresh sandbox (undefined for none); release it after the model stopped. */
  prepare(): Promise<PreparedSandbox | undefined>;
}

let availability: Promise<{ root: string; found: SandboxAvailability }> | undefined;

export async function sandboxesUnderTest(): Promise<SandboxUnderTest[]> {
  availability ??= (async () => {
    const root = await prepareSandboxRoot(join(tmpdir(), 'sluice-test-sandboxes'));
    return { root, found: await sandboxAvailability({ root, uids: TEST_UIDS, searchPath: process.env.PATH, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } }) };
  })();
  const { root, found } = await availability;
  const isRoot = process.getuid?.() === 0;
  return [
    { kind: 'none', unavailable: undefined, prepare: async () => undefined },
    { kind: 'user', unavailable: found.user, prepare: () => prepareSandbox({ kind: 'user', root, uids: TEST_UIDS }) },
    {
      kind: 'bwrap',
      unavailable: found.bwrap,
      prepare: () => prepareSandbox({ kind: 'bwrap', root, bwrap: found.bubblewrap?.path ?? 'bwrap', readOnlyPaths: [], ...(isRoot ? { uids: TEST_UIDS } : {}) }),
    },
  ];
}
