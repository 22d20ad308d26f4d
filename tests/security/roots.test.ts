// #13 (high): a team's files stay in its roots. SLUICE_FILE_ROOTS=file:///<dir>/{team}/ gives each team
// a folder; two holes let one team reach another's:
// - a ManifestFile entry with `..` segments was read from inside team A's folder, while its output,
//   made from the same entry, was written into team B's (only input URIs were checked);
// - a root was matched as a string prefix, so team `ml` could name `file:///<dir>/ml` (its root
//   without the slash) and its listing returned `<dir>/ml-research/...`.
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureOf, makeUser, requiredAuthSettings, tokenClient } from '@sluice/api/test-support';
import { startTestService } from '@sluice/test-service';
import { startModelServer, tempDir, type RunningModelServer } from '@sluice/testkit';

type Client = ReturnType<typeof tokenClient>;

let api: Awaited<ReturnType<typeof startTestService>>;
let upper: RunningModelServer;
let dir: Awaited<ReturnType<typeof tempDir>>;
let a: Client, ml: Client;

const uri = (path: string) => `file://${dir.path}/${path}`;
const LINES = { splitType: 'Line', assembleWith: 'Line' } as const;

beforeAll(async () => {
  [upper, dir] = await Promise.all([startModelServer('upper'), tempDir('sluice-roots')]);
  api = await startTestService({
    settings: requiredAuthSettings({ auth: { fileRoots: [`file://${dir.path}/{team}/`], s3Roots: ['s3://datasets/{team}'] } }),
  });
  const [aAdmin, mlAdmin] = await Promise.all([
    makeUser(api.core, 'a@example.com', 'team-a', 'admin'),
    makeUser(api.core, 'ml@example.com', 'ml', 'admin'),
    makeUser(api.core, 'b@example.com', 'team-b', 'admin'),
    makeUser(api.core, 'r@example.com', 'ml-research', 'admin'),
  ]);
  [a, ml] = [tokenClient(api.url, aAdmin.token), tokenClient(api.url, mlAdmin.token)];
  await a.models.create.mutate({ name: 'upper', kind: 'http', url: upper.url });
  await ml.models.create.mutate({ name: 'upper', kind: 'http', url: upper.url });
  for (const folder of ['team-a/in/1', 'team-a/team-b', 'team-b', 'ml/in', 'ml-research/in']) await mkdir(join(dir.path, folder), { recursive: true });
  // Inside team A's folder, where `in/1/` + `../../team-b/x.jsonl` leads.
  await writeFile(join(dir.path, 'team-a', 'team-b', 'x.jsonl'), 'a line\n');
  await writeFile(join(dir.path, 'ml', 'in', 'mine.txt'), 'ours\n');
  await writeFile(join(dir.path, 'ml-research', 'in', 'secret.txt'), 'theirs\n');
});

afterAll(async () => {
  await api?.stop();
  await upper?.stop();
  await dir?.remove();
});

async function settled(client: Client, name: string) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const job = await client.jobs.describe.query({ name });
    if (['Completed', 'Failed', 'Stopped'].includes(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`job ${name} still ${job.status} after 60 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('manifest entries stay below their prefix', () => {
  const hostile = [
    ['dot-dot', '../../team-b/x.jsonl'],
    ['absolute', '/etc/passwd'],
    ['backslash', '..\\..\\team-b\\x.jsonl'],
    ['encoded', '%2e%2e/%2e%2e/team-b/x.jsonl'],
  ] as const;

  for (const [label, entry] of hostile) {
    it(`fails a job whose manifest lists ${JSON.stringify(entry)}, naming the element, and writes nothing outside its folder`, async () => {
      const name = `manifest-${label}`;
      await writeFile(join(dir.path, 'team-a', `${name}.json`), JSON.stringify([{ prefix: uri('team-a/in/1/') }, entry]));
      await a.jobs.create.mutate({ name, modelName: 'upper', input: { uri: uri(`team-a/${name}.json`), dataType: 'ManifestFile' }, output: { uri: uri('team-a/out/') }, transform: LINES });
      const job = await settled(a, name);
      expect(job.status).toBe('Failed');
      expect(job.failureReason).toMatch(/element 1 .*(\. or \.\. segment|starts with \/|backslash|encoded separator)/);
      expect(await readdir(join(dir.path, 'team-b'))).toEqual([]);
      expect(existsSync(join(dir.path, 'team-a', 'out'))).toBe(false);
    });
  }
});

describe('a root is a folder, not a string prefix', () => {
  it("refuses a team's root named without its slash, which would also list its neighbour's files", async () => {
    const error = await failureOf(ml.jobs.create.mutate({ name: 'peek', modelName: 'upper', input: { uri: uri('ml') }, output: { uri: uri('ml/out/') }, transform: LINES }));
    expect(error.message).toContain(`name the folder with its trailing slash, ${uri('ml')}/`);
    const s3 = await failureOf(ml.jobs.create.mutate({ name: 'peek-s3', modelName: 'upper', input: { uri: 's3://datasets/ml' }, output: { uri: uri('ml/out/') }, transform: LINES }));
    expect(s3.message).toContain('name the folder with its trailing slash, s3://datasets/ml/');
    const neighbour = await failureOf(ml.jobs.create.mutate({ name: 'peek-s3-2', modelName: 'upper', input: { uri: 's3://datasets/ml-research/in/' }, output: { uri: uri('ml/out/') }, transform: LINES }));
    expect(neighbour.message).toContain('is outside the s3:// locations this service may use');
  });

  it('still runs a job over the root named as a folder, reading only its own files', async () => {
    await ml.jobs.create.mutate({ name: 'own', modelName: 'upper', input: { uri: uri('ml/') }, output: { uri: uri('ml/out/') }, transform: LINES });
    const job = await settled(ml, 'own');
    expect(job.status, job.failureReason ?? '').toBe('Completed');
    expect(await readdir(join(dir.path, 'ml', 'out', 'in'))).toEqual(['mine.txt.out']);
  });
});
