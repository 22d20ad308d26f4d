// A worker that prepares a model's sandbox, leaves a process of the model's uid running outside
// any process group and a file in its home, prints the uid, and waits to be killed with -9: what a
// crashed worker leaves behind. Run with `node --import tsx sandbox-holder.ts <root>`.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { prepareSandbox } from '../model/sandbox/prepare-sandbox.js';
import { TEST_UIDS } from './sandboxes.js';

const prepared = await prepareSandbox({ kind: 'user', root: process.argv[2]!, uids: TEST_UIDS });
const { uid, gid, home } = prepared.sandbox as { uid: number; gid: number; home: string };
writeFileSync(join(home, 'left-behind'), 'a crashed job\'s file');
spawn('setsid', ['sleep', `${uid}.5`], { uid, gid, detached: true, stdio: 'ignore' }).unref();
process.stdout.write(`${uid}\n`);
setInterval(() => {}, 60_000);
