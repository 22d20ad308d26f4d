import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceModelCommand, startModelServer, startS3Server, tempDir, type RunningModelServer, type S3TestServer } from '@sluice/testkit';
import { sluice } from './test-support/run-sluice.js';

/** Live processes whose environment holds `entry` (Linux /proc). */
async function processesWith(entry: string): Promise<number[]> {
  const found: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const environ = await readFile(`/proc/${name}/environ`, 'utf8').catch(() => '');
    const state = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    if (environ.split('\0').includes(entry) && !/\) Z /.test(state)) found.push(Number(name));
  }
  return found;
}

let dir: { path: string; remove: () => Promise<void> };
let upper: RunningModelServer;
let s3: S3TestServer;
let n = 0;

beforeAll(async () => {
  [dir, upper, s3] = await Promise.all([tempDir('sluice-cli'), startModelServer('upper'), startS3Server()]);
  await s3.createBucket('cli');
});
afterAll(async () => {
  await Promise.all([dir?.remove(), upper?.stop(), s3?.stop()]);
});

/** A fresh input folder holding `files`, and an output folder URI beside it. */
async function fixture(files: Record<string, string>) {
  const root = join(dir.path, `case-${++n}`);
  for (const [name, body] of Object.entries(files)) {
    await mkdir(join(root, 'in', name, '..'), { recursive: true });
    await writeFile(join(root, 'in', name), body);
  }
  return { root, input: `file://${root}/in/`, output: `file://${root}/out/`, out: (name: string) => readFile(join(root, 'out', name), 'utf8') };
}

describe('sluice transform', () => {
  it('transforms every object with a --model-command and prints a summary', async () => {
    const f = await fixture({ 'a.txt': 'one\ntwo\n', 'nested/b.txt': 'three' });
    const run = await sluice(['transform', '--input', f.input, '--output', f.output, '--model-command', referenceModelCommand('upper'), '--split-type', 'Line', '--assemble-with', 'Line']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(await f.out('a.txt.out')).toBe('ONE\nTWO\n');
    expect(await f.out('nested/b.txt.out')).toBe('THREE\n');
    expect(run.stdout).toMatch(/^Completed: 2 of 2 objects transformed/);
    expect(run.stdout).toMatch(/records\s+3 \(0 failed\)/);
  });

  it('prints one JSON object with --json', async () => {
    const f = await fixture({ 'a.csv': '1\n2\n3\n' });
    const run = await sluice(['transform', '--input', f.input, '--output', f.output, '--model-url', upper.url, '--split-type', 'Line', '--strategy', 'SingleRecord', '--json']);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({
      status: 'Completed',
      objects: { total: 1, completed: 1, failed: 0 },
      records: 3,
      recordsFailed: 0,
      bytesIn: 6,
      parameters: { batchStrategy: 'SingleRecord', splitType: 'Line' },
    });
    expect(summary.results[0].output).toBe(`${f.output}a.csv.out`);
  });

  it('exits 1 and names the object, the record and the model\'s answer when an object fails', async () => {
    const f = await fixture({ 'good.txt': 'fine\n', 'bad.txt': 'fine\nBAD one\n' });
    const run = await sluice(['transform', '--input', f.input, '--output', f.output, '--model-command', referenceModelCommand('fail-on'), '--split-type', 'Line', '--strategy', 'SingleRecord']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^Failed: 1 of 2 objects transformed, 1 failed/);
    expect(run.stdout).toMatch(/bad\.txt\n\s+record 1 \(byte 5\): model .* answered 400/);
    expect(await readdir(join(f.root, 'out'))).toEqual(['good.txt.out']);
  });

  it('writes placeholders and an errors file with --error-policy placeholder, and exits 0', async () => {
    const f = await fixture({ 'd.txt': 'a\nBAD\nc\n' });
    const run = await sluice(['transform', '--input', f.input, '--output', f.output, '--model-command', referenceModelCommand('fail-on'), '--split-type', 'Line', '--assemble-with', 'Line', '--error-policy', 'placeholder', '--placeholder', 'N/A']);
    expect(run.code).toBe(0);
    expect(await f.out('d.txt.out')).toBe('a\nN/A\nc\n');
    expect(JSON.parse(await f.out('d.txt.out.errors.jsonl'))).toMatchObject({ recordIndex: 1, byteOffset: 2, status: 400 });
    expect(run.stdout).toMatch(/d\.txt\.out\.errors\.jsonl \(1 records\)/);
  });

  it('reads and writes S3 through S3_ENDPOINT', async () => {
    const put = async (key: string, body: string) => {
      const { PutObjectCommand } = await import('@aws-sdk/client-s3');
      await s3.client.send(new PutObjectCommand({ Bucket: 'cli', Key: key, Body: Buffer.from(body), ContentLength: Buffer.byteLength(body) }));
    };
    await put('in/x.jsonl', '{"a":1}\n{"a":2}\n');
    const run = await sluice(['transform', '--input', 's3://cli/in/', '--output', 's3://cli/out', '--model-url', upper.url, '--split-type', 'Line', '--assemble-with', 'Line', '--json'], {
      env: {
        S3_ENDPOINT: s3.config.endpoint,
        AWS_REGION: s3.config.region,
        AWS_ACCESS_KEY_ID: s3.config.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: s3.config.credentials.secretAccessKey,
      },
    });
    expect(run.code).toBe(0);
    const { GetObjectCommand } = await import('@aws-sdk/client-s3');
    const got = await s3.client.send(new GetObjectCommand({ Bucket: 'cli', Key: 'out/x.jsonl.out' }));
    expect(await got.Body!.transformToString()).toBe('{"A":1}\n{"A":2}\n');
  });

  it('exits 1 with the model\'s last output when it never becomes healthy', async () => {
    const f = await fixture({ 'a.txt': 'x\n' });
    const run = await sluice(['transform', '--input', f.input, '--output', f.output, '--model-command', referenceModelCommand('never-healthy'), '--model-startup-timeout', '2']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/did not become healthy within 2 s/);
    expect(run.stderr).toMatch(/listening/);
  });

  it('stops on Ctrl-C with exit 130, leaving no partial output and no model process', async () => {
    const f = await fixture({ 'slow.txt': Array.from({ length: 200 }, (_, i) => `r${i}`).join('\n') });
    let pid = 0;
    const marker = `SLUICE_TEST_MARK=${process.pid}-${Date.now()}`;
    const running = sluice(
      ['transform', '--input', f.input, '--output', f.output, '--model-command', referenceModelCommand('latency', { FIXED_LATENCY_MS: '100', SLUICE_TEST_MARK: marker.split('=')[1]! }), '--split-type', 'Line', '--strategy', 'SingleRecord', '--json'],
      { onSpawn: (p) => (pid = p) },
    );
    await new Promise((r) => setTimeout(r, 2500));
    expect(await processesWith(marker)).toHaveLength(1);
    process.kill(pid, 'SIGINT');
    const run = await running;
    expect(run.code).toBe(130);
    expect(JSON.parse(run.stdout).status).toBe('Stopped');
    expect(await readdir(join(f.root, 'out'), { recursive: true }).catch(() => [])).toEqual([]);
    expect(await processesWith(marker)).toEqual([]);
  });
});

describe('sluice transform usage errors (exit 2, naming the flag)', () => {
  const base = ['transform', '--input', 'file:///tmp/in/', '--output', 'file:///tmp/out/'];

  it.each([
    [['--model-url', 'http://127.0.0.1:1', '--split-type', 'Lines'], /option '--split-type <type>' argument 'Lines' is invalid\. Allowed choices are None, Line, RecordIO, TFRecord/],
    [['--model-url', 'http://127.0.0.1:1', '--max-payload', '101'], /--max-payload takes a whole number from 0 to 100 \(got '101'\)/],
    [['--model-url', 'http://127.0.0.1:1', '--split-type', 'Line', '--max-payload', '30', '--max-concurrent-transforms', '4'], /--max-concurrent-transforms: MaxConcurrentTransforms × MaxPayloadInMB must not exceed 100 \(got 4 × 30 = 120\)/],
    [['--model-url', 'http://127.0.0.1:1', '--strategy', 'MultiRecord'], /--strategy: needs SplitType Line, RecordIO or TFRecord/],
    [['--model-url', 'http://127.0.0.1:1', '--split-type', 'Line', '--content-type', 'text/csv', '--accept', 'application/json', '--join-source', 'Input', '--assemble-with', 'Line'], /--join-source: JoinSource Input needs Accept equal to ContentType/],
    [['--model-url', 'http://127.0.0.1:1', '--split-type', 'Line', '--content-type', 'application/json', '--input-filter', '$.a['], /InputFilter '\$\.a\['/],
    [[], /one of --model-url or --model-command is required/],
    [['--model-url', 'http://x', '--model-command', 'y'], /option '--model-url <url>' cannot be used with option '--model-command <cmd>'/],
  ])('rejects %j', async (flags, message) => {
    const run = await sluice([...base, ...flags]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('captures for model monitoring: manifests under --data-capture-destination, an inference id in every record', async () => {
    const f = await fixture({ 'a.jsonl': '{"t":"x"}\n{"t":"y"}\n' });
    const capture = `file://${f.root}/capture/`;
    const run = await sluice([
      'transform', '--input', f.input, '--output', f.output, '--model-url', upper.url, '--split-type', 'Line', '--assemble-with', 'Line',
      '--content-type', 'application/jsonlines', '--data-capture-destination', capture, '--generate-inference-id', '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.capture).toMatchObject({ objects: 1, input: expect.stringMatching(new RegExp(`^${capture}input/\\d{4}/\\d\\d/\\d\\d/\\d\\d/transform-\\d{8}T\\d{6}\\.json$`)) });
    expect(JSON.parse(await readFile(new URL(summary.capture.output), 'utf8'))).toEqual([{ prefix: f.output }, 'a.jsonl.out']);
    const records = (await f.out('a.jsonl.out')).trim().split('\n').map((line) => JSON.parse(line));
    expect(records.map((r) => r.T)).toEqual(['X', 'Y']);
    expect(records[0].SageMakerInferenceId).not.toBe(records[1].SageMakerInferenceId);
  });

  it('refuses inference ids on an output that is neither CSV nor JSON, naming the flag', async () => {
    const run = await sluice(['transform', '--input', 'file:///tmp/in/', '--output', 'file:///tmp/out/', '--model-url', 'http://127.0.0.1:1', '--content-type', 'text/plain', '--data-capture-destination', 'file:///tmp/capture/', '--generate-inference-id']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: --generate-inference-id: appends an inference id to each output record, .* set ContentType to one of them \(got 'text\/plain'\)/);
  });

  it('rejects a missing --input', async () => {
    const run = await sluice(['transform', '--output', 'file:///tmp/out/', '--model-url', 'http://127.0.0.1:1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/required option '--input <uri>' not specified/);
  });
});
