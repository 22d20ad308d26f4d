import { randomInt } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:net';

/** Uids models may run as, first to last inclusive: each belongs to nobody else on the host. */
export interface UidRange {
  first: number;
  last: number;
}

/** A uid held by one model process on this host until release(). */
export interface UidLease {
  uid: number;
  release(): Promise<void>;
}

/**
 * Holds a uid of `range` that no other model on this host holds, whichever worker process started
 * it: two jobs' models never share a uid, so neither can read the other's files or signal it.
 *
 * The lock is an abstract Unix socket named after the uid (Linux): binding it is exclusive across
 * every process of the host's network namespace, and the kernel lets go of it when its holder
 * dies, even killed with -9, so a crashed worker leaves no stale lock behind. (A model shares that
 * namespace and could bind such names first: that denies uids, never shares one.)
 */
export async function leaseUid(range: UidRange): Promise<UidLease> {
  const size = range.last - range.first + 1;
  // Starting anywhere spreads models over the range: a uid is seldom reused soon after.
  const start = randomInt(size);
  for (let i = 0; i < size; i++) {
    const uid = range.first + ((start + i) % size);
    const lease = await tryLeaseUid(uid);
    if (lease) return lease;
  }
  throw new Error(`every uid from ${range.first} to ${range.last} runs a model on this host: widen the range (SLUICE_MODEL_UIDS) or run fewer models at once`);
}

/** Holds `uid` if no one does; undefined when it is taken. */
export async function tryLeaseUid(uid: number): Promise<UidLease | undefined> {
  const server = createServer((socket) => socket.destroy());
  try {
    server.listen({ path: `\0sluice-model-uid-${uid}` });
    await once(server, 'listening');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') return undefined;
    throw error;
  }
  // A held uid does not keep the worker's event loop alive.
  server.unref();
  return { uid, release: () => close(server) };
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
