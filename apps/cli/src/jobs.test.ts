import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceModelCommand, tempDir } from '@sluice/testkit';
import { startTestService } from './test-support/test-service.js';

let service: Awaited<ReturnType<typeof startTestService>>;
let dir: { path: string; remove: () => Promise<void> };
let n = 0;

beforeAll(async () => {
  [service, dir] = await Promise.all([startTestService(), tempDir('sluice-cli-jobs')]);
  for (const [name, mode] of [['upper', 'upper'], ['picky', 'fail-on']] as const) {
    const run = await service.sluice(['models', 'create', '--name', name, '--command', referenceModelCommand(mode)]);
    expect(run.code, run.stderr).toBe(0);
  }
});
afterAll(async () => {
  await Promise.all([service?.stop(), dir?.remove()]);
});

/** A fresh input folder holding `files`, and the flags of a job over it. */
async function fixture(files: Record<string, string>) {
  const root = join(dir.path, `case-${++n}`);
  for (const [name, body] of Object.entries(files)) {
    await mkdir(join(root, 'in', name, '..'), { recursive: true });
    await writeFile(join(root, 'in', name), body);
  }
  return {
    io: ['--input', `file://${root}/in/`, '--output', `file://${root}/out/`],
    out: (name: string) => readFile(join(root, 'out', name), 'utf8'),
  };
}

// The tests run in order: the listing and cloning ones use the jobs the earlier ones made.
describe('sluice jobs', () => {
  it('runs a job to completion with create --wait, then shows it in list, describe, objects and logs', async () => {
    const f = await fixture({ 'a.txt': 'one\ntwo\n', 'nested/b.txt': 'three\n' });
    const run = await service.sluice(['jobs', 'create', '--name', 'shout', '--model', 'upper', ...f.io, '--split-type', 'Line', '--assemble-with', 'Line', '--wait']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Completed: transform job 'shout', 2\/2 objects, 3 records \(0 failed\) in /);
    expect(await f.out('a.txt.out')).toBe('ONE\nTWO\n');
    expect(await f.out('nested/b.txt.out')).toBe('THREE\n');

    const list = await service.sluice(['jobs', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^NAME\s+STATUS\s+MODEL\s+OBJECTS\s+RECORDS\s+FAILED\s+CREATED\s+DURATION\n/);
    expect(list.stdout).toMatch(/\nshout\s+Completed\s+upper\s+2\/2\s+3\s+0\s+/);

    const describe = await service.sluice(['jobs', 'describe', 'shout']);
    expect(describe.stdout).toMatch(/^Name\s+shout\nStatus\s+Completed\nModel\s+upper\n/m);
    expect(describe.stdout).toMatch(/Parameters\s+splitType=Line\n\s+assembleWith=Line\n/);

    const objects = await service.sluice(['jobs', 'objects', 'shout']);
    expect(objects.stdout).toMatch(/^INPUT\s+STATUS\s+SIZE\s+RECORDS/);
    expect(objects.stdout).toMatch(/\na\.txt\s+Completed\s+8 B\s+2\s+0\s+file:\/\/.*a\.txt\.out/);

    const logs = await service.sluice(['jobs', 'logs', 'shout']);
    expect(logs.code).toBe(0);
    expect(logs.stdout).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ INFO {2}\[sluice\] job Completed$/m);
  });

  it('prints parseable JSON with --json', async () => {
    const f = await fixture({ 'x.txt': 'a\n' });
    const created = await service.sluice(['jobs', 'create', '--name', 'json-job', '--model', 'upper', ...f.io, '--tag', 'team=ml', '--env', 'K=v', '--json']);
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ name: 'json-job', status: 'InProgress', tags: [{ key: 'team', value: 'ml' }], environment: { K: 'v' } });
    const waited = await service.sluice(['jobs', 'wait', 'json-job', '--json']);
    expect(waited.code).toBe(0);
    expect(JSON.parse(waited.stdout)).toMatchObject({ name: 'json-job', status: 'Completed', progress: { objectsCompleted: 1 } });
    const list = JSON.parse((await service.sluice(['jobs', 'list', '--name-contains', 'json', '--json'])).stdout);
    expect(list).toMatchObject({ items: [{ name: 'json-job' }], nextCursor: null });
    const logs = (await service.sluice(['jobs', 'logs', 'json-job', '--json'])).stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(logs).toContainEqual(expect.objectContaining({ level: 'info', source: 'sluice', message: 'job Completed' }));
    expect(JSON.parse((await service.sluice(['jobs', 'objects', 'json-job', '--json'])).stdout)).toMatchObject([{ relativeKey: 'x.txt', status: 'Completed' }]);
  });

  it('exits 1 from jobs wait with the FailureReason when the job fails, and follows its log to the end', async () => {
    const f = await fixture({ 'good.txt': 'fine\n', 'bad.txt': 'fine\nBAD one\n' });
    const created = await service.sluice(['jobs', 'create', '--name', 'doomed', '--model', 'picky', ...f.io, '--split-type', 'Line', '--strategy', 'SingleRecord']);
    expect(created.code, created.stderr).toBe(0);
    const [waited, followed] = await Promise.all([service.sluice(['jobs', 'wait', 'doomed']), service.sluice(['jobs', 'logs', 'doomed', '--follow', '--level', 'error'])]);
    expect(waited.code).toBe(1);
    expect(waited.stdout).toMatch(/^Failed: transform job 'doomed', 1\/2 objects \(1 failed\)/);
    expect(waited.stdout).toMatch(/\n {2}reason {2}.*bad\.txt.*400/);
    expect(followed.code).toBe(0);
    expect(followed.stdout).toMatch(/ERROR \[sluice\] job Failed: .*bad\.txt/);
    expect(followed.stdout).not.toMatch(/ INFO /);

    const retried = await service.sluice(['jobs', 'retry', 'doomed', '--wait']);
    expect(retried.code).toBe(1);
    expect(retried.stdout).toMatch(/^Failed: transform job 'doomed'/);
  });

  it('lists with filters and a limit, and clones a job', async () => {
    const f = await fixture({ 'c.txt': 'c\n' });
    const clone = await service.sluice(['jobs', 'clone', 'shout', '--name', 'shout-again', '--wait']);
    expect(clone.code, clone.stderr).toBe(0);
    expect(clone.stdout).toMatch(/^Completed: transform job 'shout-again'/);
    expect((await service.sluice(['jobs', 'create', '--name', 'later', '--model', 'upper', ...f.io, '--wait'])).code).toBe(0);
    const names = (stdout: string) => stdout.trim().split('\n').slice(1).map((line) => line.split(/\s+/)[0]);
    expect(names((await service.sluice(['jobs', 'list', '--status', 'Failed'])).stdout)).toEqual(['doomed']);
    expect(names((await service.sluice(['jobs', 'list', '--name-contains', 'SHOUT'])).stdout)).toEqual(['shout-again', 'shout']);
    const limited = await service.sluice(['jobs', 'list', '--model', 'upper', '--limit', '2']);
    expect(names(limited.stdout)).toEqual(['later', 'shout-again']);
    expect(limited.stderr).toMatch(/more jobs match: --all/);
    expect(names((await service.sluice(['jobs', 'list', '--model', 'upper', '--limit', '2', '--all'])).stdout)).toEqual(['later', 'shout-again', 'json-job', 'shout']);
  });

  it('exits 2 naming the flag when the service rejects a parameter, and 1 for a job that does not exist', async () => {
    const f = await fixture({ 'a.txt': 'a\n' });
    const invalid = await service.sluice(['jobs', 'create', '--name', 'too-much', '--model', 'upper', ...f.io, '--split-type', 'Line', '--max-payload', '30', '--max-concurrent-transforms', '4']);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toBe(
      [
        'sluice: the request is not valid:',
        '  --max-concurrent-transforms: MaxConcurrentTransforms × MaxPayloadInMB must not exceed 100 (got 4 × 30 = 120)',
        '',
      ].join('\n'),
    );
    const noModel = await service.sluice(['jobs', 'create', '--name', 'orphan', '--model', 'nope', ...f.io]);
    expect(noModel.code).toBe(2);
    expect(noModel.stderr).toBe("sluice: Could not find model 'nope': register it first (sluice models create)\n  --model: no model named 'nope'\n");
    const missing = await service.sluice(['jobs', 'describe', 'ghost']);
    expect(missing).toMatchObject({ code: 1, stderr: "sluice: no transform job named 'ghost'\n" });
  });

  it('stops a running job and waits until it is Stopped', async () => {
    const f = await fixture({ 'slow.txt': Array.from({ length: 100 }, (_, i) => `r${i}`).join('\n') });
    await service.sluice(['models', 'create', '--name', 'slow', '--command', referenceModelCommand('latency', { FIXED_LATENCY_MS: '100' })]);
    expect((await service.sluice(['jobs', 'create', '--name', 'long', '--model', 'slow', ...f.io, '--split-type', 'Line', '--strategy', 'SingleRecord'])).code).toBe(0);
    const stopped = await service.sluice(['jobs', 'stop', 'long', '--wait']);
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stdout).toMatch(/^Stopped: transform job 'long'/);
    const again = await service.sluice(['jobs', 'wait', 'long']);
    expect(again.code).toBe(1);
  });

  // Last: the listing test above counts the jobs the earlier ones made.
  it('captures for model monitoring with --data-capture-destination and --generate-inference-id, and describe says where', async () => {
    const f = await fixture({ 'rows.csv': 'a,1\nb,2\n' });
    const capture = `file://${dir.path}/capture-${n}/`;
    const args = ['--content-type', 'text/csv', '--split-type', 'Line', '--assemble-with', 'Line', '--data-capture-destination', capture, '--generate-inference-id'];
    const run = await service.sluice(['jobs', 'create', '--name', 'captured', '--model', 'upper', ...f.io, ...args, '--wait']);
    expect(run.code, run.stderr).toBe(0);
    const manifest = new RegExp(`capture file://${dir.path}/capture-${n}/input/\\d{4}/\\d\\d/\\d\\d/\\d\\d/captured\\.json\n {10}file://.*/output/.*/captured\\.json\n`);
    expect(run.stdout).toMatch(manifest);
    expect((await f.out('rows.csv.out')).split('\n').slice(0, 2).map((row) => row.split(',').length)).toEqual([4, 4]);
    const describe = await service.sluice(['jobs', 'describe', 'captured']);
    expect(describe.stdout).toMatch(/Parameters\s+(.*\n\s+)*dataCaptureConfig\.destinationS3Uri=file:\/\/.*\n\s+dataCaptureConfig\.generateInferenceId=true\n/);
    expect(describe.stdout).toMatch(/\nDataCapture\s+inputs {2}file:\/\/.*\/input\/\d{4}\/\d\d\/\d\d\/\d\d\/captured\.json\n\s+outputs file:\/\/.*\/captured\.json\n/);
    const input = JSON.parse(await readFile(new URL(/inputs {2}(\S+)/.exec(describe.stdout)![1]!), 'utf8')) as unknown[];
    expect(input).toEqual([{ prefix: `file://${dir.path}/case-${n}/in/` }, 'rows.csv']);
  });

});
