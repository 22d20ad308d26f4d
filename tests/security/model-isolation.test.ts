// Issue 13: a command model is code any member of any team may register, and the worker runs it.
// Here a hostile model, run by a real worker process in each kind of isolation, tries to read the
// worker's environment, the secret key file, the worker's home and another job's artifact, and to
// signal the worker; every attempt must be refused, and no secret may reach the job's log or
// outputs. Without isolation (none) the same model gets everything: the control that shows each
// attempt would have noticed.
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { c as createTar } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJob, createModel, ensureLocalSecretKey, listLogs, LOCAL_ACTOR, stopJob } from '@sluice/core';
import { referenceModelPath } from '@sluice/testkit';
import { read, startService, waitForJob, type TestService, type WorkerProcess } from '../support/service.js';

/** Each attempt of the hostile model, as it reports it: `probe <name>: GOT <what it read>` or `probe <name>: refused: <error>`. */
const PROBES = ['worker-environ', 'secret-key-file', 'worker-home', 'worker-aws-credentials', 'other-job-artifact', 'signal-worker'];

const HOSTILE_SCRIPT = `
probe() {
  name=$1; shift
  if out=$("$@" 2>&1); then echo "probe $name: GOT $(printf %s "$out" | tr '\\n\\000' '  ' | head -c 400)"
  else echo "probe $name: refused: $(printf %s "$out" | head -n 1)"; fi
}
probe worker-environ grep -z -E '^(DATABASE_URL|SLUICE_SECRET_KEY|AWS_SECRET_ACCESS_KEY)=' "/proc/$WORKER_PID/environ"
probe secret-key-file cat "$SECRET_KEY_FILE"
probe worker-home ls -A "$WORKER_HOME"
probe worker-aws-credentials cat "$WORKER_HOME/.aws/credentials"
probe other-job-artifact cat "$VICTIM_DIR/weights.txt"
probe signal-worker kill -0 "$WORKER_PID"
`;

let service: TestService;
let dir: string;
/** What the worker holds and no model may see. */
const secrets = {
  sluiceSecretKey: `sluice-secret-key-${randomBytes(12).toString('hex')}`,
  awsSecretInEnv: `aws-env-secret-${randomBytes(12).toString('hex')}`,
  awsSecretInHome: `aws-home-secret-${randomBytes(12).toString('hex')}`,
  victimWeights: `another-teams-weights-${randomBytes(12).toString('hex')}`,
  secretKeyFile: '',
  databasePassword: '',
};
let sluiceHome: string;
let workerHome: string;
let n = 0;

beforeAll(async () => {
  [service, dir] = await Promise.all([startService({ workers: 0 }), mkdtemp(join(tmpdir(), 'sluice-security-'))]);
  secrets.databasePassword = decodeURIComponent(new URL(service.database.url).password);

  // A Sluice home with the secret key file `sluice up` makes (readable by its owner only).
  sluiceHome = join(dir, 'sluice-home');
  ensureLocalSecretKey(sluiceHome);
  secrets.secretKeyFile = (await readFile(join(sluiceHome, 'secret-key'), 'utf8')).trim();
  // The worker's home, as a user's is: private to them, with their cloud credentials.
  workerHome = await mkdtemp(join(dir, 'worker-home-'));
  await mkdir(join(workerHome, '.aws'), { mode: 0o700 });
  await writeFile(join(workerHome, '.aws', 'credentials'), `[default]\naws_access_key_id = AKIATEST\naws_secret_access_key = ${secrets.awsSecretInHome}\n`, { mode: 0o600 });

  // Artifacts: the reference model server travels inside them, as a real model's code would.
  await tarball('victim', { 'weights.txt': secrets.victimWeights });
  await tarball('hostile', { 'hostile.sh': HOSTILE_SCRIPT });
  await mkdir(join(dir, 'in'));
  await writeFile(join(dir, 'in', 'a.txt'), 'one\ntwo\n');
});

afterAll(async () => {
  await service?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function tarball(name: string, files: Record<string, string>): Promise<void> {
  const source = join(dir, `${name}-files`);
  await mkdir(source);
  for (const [file, body] of Object.entries(files)) await writeFile(join(source, file), body);
  await copyFile(referenceModelPath, join(source, 'serve.mjs'));
  await createTar({ gzip: true, file: join(dir, `${name}.tar.gz`), cwd: source }, [...Object.keys(files), 'serve.mjs']);
}

/** A worker serving pool `mode` with that isolation; undefined (and why) when it refuses to start. */
async function startWorker(mode: string): Promise<{ worker?: WorkerProcess; refused?: string }> {
  try {
    const worker = await service.startWorker({
      SLUICE_MODEL_SANDBOX: mode,
      SLUICE_POOLS: mode,
      SLUICE_HOME: sluiceHome,
      HOME: workerHome,
      SLUICE_SECRET_KEY: secrets.sluiceSecretKey,
      AWS_SECRET_ACCESS_KEY: secrets.awsSecretInEnv,
    });
    return { worker };
  } catch (error) {
    const why = /SLUICE_MODEL_SANDBOX=\w+, but [^\n]*/.exec((error as Error).message);
    if (why) return { refused: why[0] };
    throw error;
  }
}

/** The directory on the host that holds a file whose content is `marker` (an artifact, once its model started). */
async function hostDirHolding(marker: string): Promise<string | undefined> {
  for (const entry of await readdir(tmpdir())) {
    if (!entry.startsWith('sluice-model')) continue;
    const files = await readdir(join(tmpdir(), entry), { recursive: true }).catch(() => [] as string[]);
    for (const file of files) {
      if (!file.endsWith('weights.txt')) continue;
      const path = join(tmpdir(), entry, file);
      if ((await readFile(path, 'utf8').catch(() => '')) === marker) return join(path, '..');
    }
  }
  return undefined;
}

describe.each(['bwrap', 'user', 'none'])('a hostile command model under SLUICE_MODEL_SANDBOX=%s', (mode) => {
  it(mode === 'none' ? 'gets everything it tries (the control: each attempt works when nothing isolates it)' : 'is refused every attempt, and no secret reaches its log or output', async (ctx) => {
    const { worker, refused } = await startWorker(mode);
    ctx.skip(refused !== undefined, refused);
    try {
      // Another team's job, whose model holds its artifact on this worker while the hostile one runs.
      const victim = `victim-${mode}`;
      await createModel(service.core, LOCAL_ACTOR, {
        name: victim,
        kind: 'command',
        command: 'MODE=never-healthy exec node "$SM_MODEL_DIR/serve.mjs"',
        artifactUri: `file://${join(dir, 'victim.tar.gz')}`,
        startupTimeoutSeconds: 120,
      });
      await createJob(service.core, LOCAL_ACTOR, { name: victim, modelName: victim, pool: mode, input: { uri: `file://${dir}/in/` }, output: { uri: `file://${dir}/out/${victim}/` }, transform: { splitType: 'Line' } });
      let victimDir: string | undefined;
      await expect.poll(async () => (victimDir = await hostDirHolding(secrets.victimWeights)), { timeout: 30_000, interval: 100 }).toBeDefined();

      const hostile = `hostile-${mode}-${++n}`;
      await createModel(service.core, LOCAL_ACTOR, {
        name: hostile,
        kind: 'command',
        command: 'sh "$SM_MODEL_DIR/hostile.sh"; MODE=upper exec node "$SM_MODEL_DIR/serve.mjs"',
        artifactUri: `file://${join(dir, 'hostile.tar.gz')}`,
        env: { WORKER_PID: String(worker!.pid), SECRET_KEY_FILE: join(sluiceHome, 'secret-key'), WORKER_HOME: workerHome, VICTIM_DIR: victimDir! },
        startupTimeoutSeconds: 30,
      });
      await createJob(service.core, LOCAL_ACTOR, { name: hostile, modelName: hostile, pool: mode, input: { uri: `file://${dir}/in/` }, output: { uri: `file://${dir}/out/${hostile}/` }, transform: { splitType: 'Line', assembleWith: 'Line' } });
      const job = await waitForJob(service.core, hostile);
      await stopJob(service.core, LOCAL_ACTOR, { name: victim });
      await waitForJob(service.core, victim);

      // The model worked: it read its own artifact (its server) and transformed the input.
      expect(job.status, job.failureReason ?? '').toBe('Completed');
      const output = await read(join(dir, 'out', hostile, 'a.txt.out'));
      expect(output).toBe('ONE\nTWO\n');

      const log = (await listLogs(service.core, LOCAL_ACTOR, { name: hostile, limit: 1000 })).items.map((entry) => entry.message);
      const probes = Object.fromEntries(log.filter((line) => line.startsWith('probe ')).map((line) => [line.slice(6, line.indexOf(':')), line]));
      expect(Object.keys(probes).sort()).toEqual([...PROBES].sort());
      const leaked = [secrets.sluiceSecretKey, secrets.awsSecretInEnv, secrets.awsSecretInHome, secrets.victimWeights, secrets.secretKeyFile, secrets.databasePassword];
      if (mode === 'none') {
        for (const name of PROBES) expect(probes[name], name).toMatch(/: GOT/);
        for (const secret of leaked) expect(log.join('\n')).toContain(secret);
        return;
      }
      for (const name of PROBES) expect(probes[name], name).toMatch(/: refused: /);
      const everything = [...log, output, worker!.output()].join('\n');
      for (const secret of leaked) expect(everything).not.toContain(secret);

      // The worker said at start-up how it isolates models, and each model's start says how it ran.
      expect(worker!.output()).toContain(mode === 'bwrap' ? 'model isolation: command models run in bubblewrap' : 'model isolation: command models run each as a uid of its own');
      expect(log.find((line) => line.startsWith(`started model '${hostile}'`))).toMatch(mode === 'bwrap' ? /\(in bubblewrap as uid \d+\)/ : /\(as uid \d+\)/);
    } finally {
      await worker?.stop();
    }
  });
});

describe('SLUICE_MODEL_SANDBOX=refuse', () => {
  it('runs no command model at all: the job fails saying to serve the model from a container of its own', async () => {
    const { worker } = await startWorker('refuse');
    try {
      expect(worker!.output()).toContain('model isolation: command models are refused');
      const hostile = `hostile-refuse-${++n}`;
      await createModel(service.core, LOCAL_ACTOR, { name: hostile, kind: 'command', command: 'sh "$SM_MODEL_DIR/hostile.sh"', artifactUri: `file://${join(dir, 'hostile.tar.gz')}` });
      await createJob(service.core, LOCAL_ACTOR, { name: hostile, modelName: hostile, pool: 'refuse', input: { uri: `file://${dir}/in/` }, output: { uri: `file://${dir}/out/${hostile}/` }, transform: { splitType: 'Line' } });
      const job = await waitForJob(service.core, hostile);
      expect(job.status).toBe('Failed');
      expect(job.failureReason).toContain(`model '${hostile}' did not start: this worker runs no command models (SLUICE_MODEL_SANDBOX=refuse): serve the model from a container of its own and register it as an http model`);
      const log = (await listLogs(service.core, LOCAL_ACTOR, { name: hostile, limit: 1000 })).items.map((entry) => entry.message);
      expect(log.filter((line) => line.startsWith('probe '))).toEqual([]);
    } finally {
      await worker?.stop();
    }
  });
});
