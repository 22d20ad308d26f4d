// <home>/postgres.json: what a later start needs to reach the same server: the port it listens on,
// the superuser's password (generated at initdb), and which process owns (and will stop) it.
import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';

export interface ServerState {
  version: 1;
  port: number;
  user: string;
  password: string;
  database: string;
  /** False from the moment initdb starts until the `sluice` database exists. */
  initialized: boolean;
  /** The process that started (or adopted) the server and stops it; null once stopped. */
  ownerPid: number | null;
}

export async function readServerState(path: string): Promise<ServerState | undefined> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (text === undefined) return undefined;
  let value: Partial<ServerState>;
  try {
    value = JSON.parse(text) as Partial<ServerState>;
  } catch {
    throw new Error(`${path} is not valid JSON; delete it together with the postgres directory beside it to start afresh`);
  }
  if (typeof value.port !== 'number' || typeof value.password !== 'string') {
    throw new Error(`${path} lacks "port" or "password"; delete it together with the postgres directory beside it to start afresh`);
  }
  return {
    version: 1,
    port: value.port,
    user: value.user ?? 'postgres',
    password: value.password,
    database: value.database ?? 'sluice',
    initialized: value.initialized ?? true,
    ownerPid: value.ownerPid ?? null,
  };
}

/** Writes atomically (temp file + rename), readable only by this user: it holds the password. */
export async function writeServerState(path: string, state: ServerState): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
  await rename(temp, path);
}

export function newPassword(): string {
  return randomBytes(18).toString('base64url');
}

export function serverUrl(state: Pick<ServerState, 'user' | 'password' | 'port'>, database: string): string {
  return `postgres://${encodeURIComponent(state.user)}:${encodeURIComponent(state.password)}@127.0.0.1:${state.port}/${encodeURIComponent(database)}`;
}
