// DataCaptureConfig through the SageMaker API, as a SageMaker user drives it: the AWS SDK for
// JavaScript creates a job over an S3-protocol server and reads the capture back from the same
// store, checking it line by line against the job's inputs and outputs.
import {
  CreateModelCommand,
  CreateTransformJobCommand,
  DescribeTransformJobCommand,
  SageMakerClient,
  waitUntilTransformJobCompletedOrStopped,
} from '@aws-sdk/client-sagemaker';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccessKey, LOCAL_ACTOR, openCore, planJob } from '@sluice/core';
import { transformJobs } from '@sluice/db';
import { openStore, resolveInput, type StorageConfig } from '@sluice/engine';
import { startTestService, startTestWorker } from '@sluice/test-service';
import { startModelServer, startS3Server, type RunningModelServer, type S3TestServer } from '@sluice/testkit';

let s3: S3TestServer;
let storage: StorageConfig;
let api: Awaited<ReturnType<typeof startTestService>>;
let worker: Awaited<ReturnType<typeof startTestWorker>> | undefined;
let model: RunningModelServer;
let sageMaker: SageMakerClient;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const INPUTS: Record<string, string[]> = {
  'reviews/a.jsonl': Array.from({ length: 300 }, (_, i) => `{"id":${i},"text":"review number ${i}"}`),
  'reviews/more/b.jsonl': Array.from({ length: 200 }, (_, i) => `{"id":${300 + i},"text":"another ${i}"}`),
};

async function put(uri: string, body: string): Promise<void> {
  const { store, key } = openStore(uri, storage);
  const writer = store.createWriter(key);
  await writer.write(Buffer.from(body));
  await writer.complete();
}

async function read(uri: string): Promise<string> {
  const { store, key } = openStore(uri, storage);
  const chunks: Buffer[] = [];
  for await (const chunk of await store.read(key)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function keysUnder(uri: string): Promise<string[]> {
  const { store, key } = openStore(uri, storage);
  const keys: string[] = [];
  for await (const object of store.listAll(key)) keys.push(store.uri(object.key));
  return keys;
}

beforeAll(async () => {
  s3 = await startS3Server();
  await s3.createBucket('monitoring');
  storage = s3.config;
  // The in-process worker reads its storage settings from the environment, as `sluice worker` does.
  Object.assign(process.env, { S3_ENDPOINT: s3.endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
  // No worker yet: the first test plans its job itself, then starts one (see there).
  [api, model] = await Promise.all([startTestService({ worker: false }), startModelServer('upper')]);
  const credentials = await createAccessKey(api.core, LOCAL_ACTOR);
  sageMaker = new SageMakerClient({ endpoint: `${api.url}/api/sagemaker`, region: 'us-east-1', credentials, maxAttempts: 1 });
  await sageMaker.send(new CreateModelCommand({ ModelName: 'upper', PrimaryContainer: { Image: model.url } }));
  for (const [key, lines] of Object.entries(INPUTS)) await put(`s3://monitoring/in/${key}`, `${lines.join('\n')}\n`);
});
afterAll(async () => {
  await worker?.stop();
  await api?.stop();
  await model?.stop();
  await s3?.stop();
});

describe('DataCaptureConfig through the SageMaker API', () => {
  it('writes manifests of the inputs and outputs under the destination, and an inference id and time in every output record', async () => {
    await sageMaker.send(
      new CreateTransformJobCommand({
        TransformJobName: 'reviews-captured',
        ModelName: 'upper',
        BatchStrategy: 'MultiRecord',
        MaxPayloadInMB: 1,
        TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://monitoring/in/' } }, SplitType: 'Line', ContentType: 'application/jsonlines' },
        TransformOutput: { S3OutputPath: 's3://monitoring/out/', Accept: 'application/jsonlines', AssembleWith: 'Line' },
        TransformResources: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1 },
        DataCaptureConfig: { DestinationS3Uri: 's3://monitoring/capture', KmsKeyId: 'alias/monitoring', GenerateInferenceId: true },
      }),
    );
    // Planned here (what the worker's plan handler does), and the worker started only once the
    // clock is in the next second: every record's SageMakerInferenceTime must still be the job's
    // start, not when its task began.
    const [row] = await api.core.db.select().from(transformJobs).where(eq(transformJobs.name, 'reviews-captured'));
    const planner = await openCore({ databaseUrl: api.databaseUrl, storage });
    try {
      await planJob(planner, row!.id);
    } finally {
      await planner.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 1050 - (Date.now() % 1000)));
    worker = await startTestWorker(api.databaseUrl);
    const waited = await waitUntilTransformJobCompletedOrStopped({ client: sageMaker, minDelay: 1, maxDelay: 1, maxWaitTime: 60 }, { TransformJobName: 'reviews-captured' });
    expect(waited.state).toBe('SUCCESS');
    const job = await sageMaker.send(new DescribeTransformJobCommand({ TransformJobName: 'reviews-captured' }));
    expect(job.TransformJobStatus, job.FailureReason).toBe('Completed');
    expect(job.DataCaptureConfig).toEqual({ DestinationS3Uri: 's3://monitoring/capture', KmsKeyId: 'alias/monitoring', GenerateInferenceId: true });

    // SageMaker's layout: <destination>/input|output/yyyy/mm/dd/hh/ of the job's start, in UTC.
    const start = job.TransformStartTime!.toISOString();
    const hour = `${start.slice(0, 4)}/${start.slice(5, 7)}/${start.slice(8, 10)}/${start.slice(11, 13)}`;
    const manifests = { input: `s3://monitoring/capture/input/${hour}/reviews-captured.json`, output: `s3://monitoring/capture/output/${hour}/reviews-captured.json` };
    expect(await keysUnder('s3://monitoring/capture/')).toEqual([manifests.input, manifests.output]);

    // The manifests are ManifestFile manifests: the input one lists the job's inputs in order...
    const keys = Object.keys(INPUTS);
    expect(JSON.parse(await read(manifests.input))).toEqual([{ prefix: 's3://monitoring/in/' }, ...keys]);
    expect(JSON.parse(await read(manifests.output))).toEqual([{ prefix: 's3://monitoring/out/' }, ...keys.map((k) => `${k}.out`)]);
    const inputs = await resolveInput({ dataType: 'ManifestFile', uri: manifests.input }, storage);
    const outputs = await resolveInput({ dataType: 'ManifestFile', uri: manifests.output }, storage);
    expect(inputs.map((o) => o.uri)).toEqual(keys.map((k) => `s3://monitoring/in/${k}`));

    // ...and, read through them as a monitoring job does, output line i is input line i's inference
    // with a fresh inference id and the job's start time to the second.
    const ids = new Set<string>();
    for (const [i, output] of outputs.entries()) {
      const inputLines = (await read(inputs[i]!.uri)).split('\n').filter(Boolean);
      const outputLines = (await read(output.uri)).split('\n').filter(Boolean);
      expect(inputLines).toEqual(INPUTS[keys[i]!]);
      expect(outputLines).toHaveLength(inputLines.length);
      for (const [n, line] of outputLines.entries()) {
        const record = JSON.parse(line) as Record<string, unknown>;
        const { SageMakerInferenceId: id, SageMakerInferenceTime: time, ...inference } = record;
        expect(inference, `${output.uri} line ${n + 1}`).toEqual(JSON.parse(inputLines[n]!.toUpperCase()));
        expect(id).toMatch(UUID);
        expect(time).toBe(`${start.slice(0, 19)}Z`);
        ids.add(id as string);
      }
    }
    expect(ids.size).toBe(500);

    // The job service shows where the capture is; its log says what was written.
    const view = await api.client.jobs.describe.query({ name: 'reviews-captured' });
    expect(view.capture).toEqual(manifests);
    const logs = await api.client.logs.list.query({ name: 'reviews-captured', search: 'data capture' });
    expect(logs.items.map((l) => l.message)).toEqual([`data capture: manifests of 2 objects written: ${manifests.input} (inputs), ${manifests.output} (outputs)`]);
  });

  it('fails the job, naming the destination, when the capture cannot be written, and leaves the outputs in place', async () => {
    await sageMaker.send(
      new CreateTransformJobCommand({
        TransformJobName: 'capture-nowhere',
        ModelName: 'upper',
        TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://monitoring/in/reviews/a.jsonl' } }, SplitType: 'Line' },
        TransformOutput: { S3OutputPath: 's3://monitoring/out-nowhere/', AssembleWith: 'Line' },
        TransformResources: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1 },
        DataCaptureConfig: { DestinationS3Uri: 's3://no-such-bucket/capture' },
      }),
    );
    // The SDK's waiter ends in failure on a Failed job, as on AWS.
    await expect(waitUntilTransformJobCompletedOrStopped({ client: sageMaker, minDelay: 1, maxDelay: 1, maxWaitTime: 60 }, { TransformJobName: 'capture-nowhere' })).rejects.toThrow(/"state":"FAILURE"/);
    const job = await sageMaker.send(new DescribeTransformJobCommand({ TransformJobName: 'capture-nowhere' }));
    expect(job.TransformJobStatus).toBe('Failed');
    expect(job.FailureReason).toMatch(/^DataCaptureConfig: could not write the capture manifest s3:\/\/no-such-bucket\/capture\/input\/\d{4}\/\d\d\/\d\d\/\d\d\/capture-nowhere\.json \(DestinationS3Uri s3:\/\/no-such-bucket\/capture\): .*no-such-bucket/);
    expect((await read('s3://monitoring/out-nowhere/a.jsonl.out')).split('\n').filter(Boolean)).toHaveLength(300);
  });
});
