// A worker that prepares a model's sandbox, starts something in it, prints the model's uid, and
// waits to be killed with -9: what a crashed worker leaves behind. `user`: a process of the model's
// uid outside any process group and a file in its home; `bwrap`: a model in bubblewrap, whose
// processes (one outside its process group) should die with the worker. Both run `sleep <uid>.5`.
// Run with `node --import tsx sandbox-holder.ts <root> <kind>`.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { prepareSandbox } from '../model/sandbox/prepare-sandbox.js';
import { spawnModelCommand } from '../model/spawn-model.js';
import { TEST_UIDS } from './sandboxes.js';

const [root, kind] = [process.argv[2]!, process.argv[3] as 'user' | 'bwrap'];
const prepared = await prepareSandbox({ kind, root, uids: TEST_UIDS, bwrap: '/usr/bin/bwrap', readOnlyPaths: [] });
const { uid, gid } = prepared.owner!;
if (kind === 'user') {
  writeFileSync(join(prepared.sandbox.home, 'left-behind'), "a crashed job's file");
  spawn('setsid', ['sleep', `${uid}.5`], { uid, gid, detached: true, stdio: 'ignore' }).unref();
} else {
  await spawnModelCommand({ baseEnv: { PATH: process.env.PATH }, command: `setsid sleep ${uid}.5 & sleep ${uid}.6`, sandbox: prepared.sandbox });
}
process.stdout.write(`${uid}\n`);
setInterval(() => {}, 60_000);
