import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CreateModelCommand,
  CreateTransformJobCommand,
  DescribeModelCommand,
  DescribeTransformJobCommand,
  ListTransformJobsCommand,
  SageMakerClient,
  StopTransformJobCommand,
  waitUntilTransformJobCompletedOrStopped,
  type CreateTransformJobCommandInput,
} from '@aws-sdk/client-sagemaker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccessKey, LOCAL_ACTOR } from '@sluice/core';
import { startModelServer, tempDir, type RunningModelServer } from '@sluice/testkit';
import { startWorker, workerOptions, workerSettings } from '@sluice/worker';
import { startTestApi } from '../test-support/api-harness.js';

let api: Awaited<ReturnType<typeof startTestApi>>;
let model: RunningModelServer;
let worker: Awaited<ReturnType<typeof startWorker>>;
let dir: Awaited<ReturnType<typeof tempDir>>;
let sageMaker: SageMakerClient;
let credentials: { accessKeyId: string; secretAccessKey: string };

function client(secretAccessKey = credentials.secretAccessKey): SageMakerClient {
  return new SageMakerClient({ endpoint: `${api.url}/api/sagemaker`, region: 'us-east-1', credentials: { ...credentials, secretAccessKey }, maxAttempts: 1 });
}

beforeAll(async () => {
  [api, model, dir] = await Promise.all([startTestApi(), startModelServer('upper'), tempDir('sluice-sagemaker')]);
  worker = await startWorker({ ...workerOptions(workerSettings(process.env), api.databaseUrl), concurrency: 2, pollingIntervalSeconds: 0.5, heartbeatSeconds: 1, housekeepingSeconds: 1, flushSeconds: 0.5 });
  credentials = await createAccessKey(api.core, LOCAL_ACTOR);
  sageMaker = client();
  await mkdir(join(dir.path, 'in'));
  await writeFile(join(dir.path, 'in', 'a.txt'), 'one\ntwo\nthree\n');
  await sageMaker.send(new CreateModelCommand({ ModelName: 'upper', PrimaryContainer: { Image: model.url, Environment: { A: '1' } } }));
});
afterAll(async () => {
  await worker?.stop();
  await api?.stop();
  await model?.stop();
  await dir?.remove();
});

function jobRequest(name: string, changes: Partial<CreateTransformJobCommandInput> = {}): CreateTransformJobCommandInput {
  return {
    TransformJobName: name,
    ModelName: 'upper',
    TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `${pathToFileURL(join(dir.path, 'in'))}/` } }, SplitType: 'Line', ContentType: 'text/plain' },
    TransformOutput: { S3OutputPath: `${pathToFileURL(join(dir.path, 'out', name))}/`, AssembleWith: 'Line' },
    TransformResources: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1 },
    ...changes,
  };
}

/** The error a call rejected with, as an AWS SDK user sees it. */
async function failureOf(call: Promise<unknown>): Promise<Error & { $metadata: { httpStatusCode?: number } }> {
  try {
    await call;
  } catch (error) {
    return error as Error & { $metadata: { httpStatusCode?: number } };
  }
  throw new Error('expected the call to fail, and it succeeded');
}

describe('the SageMaker API through @aws-sdk/client-sagemaker', () => {
  it('registers a model whose Image is a URL as an http model, with an ARN in SageMaker form', async () => {
    const described = await sageMaker.send(new DescribeModelCommand({ ModelName: 'upper' }));
    expect(described).toMatchObject({ ModelName: 'upper', ModelArn: 'arn:aws:sagemaker:us-east-1:000000000000:model/upper', PrimaryContainer: { Image: model.url, Environment: { A: '1' } } });
    expect(described.CreationTime).toBeInstanceOf(Date);
    expect((await api.client.models.get.query({ name: 'upper' })).kind).toBe('http');
  });

  it('runs a transform job over local files to completion and describes it', async () => {
    const created = await sageMaker.send(new CreateTransformJobCommand(jobRequest('upper-run', { MaxPayloadInMB: 1, BatchStrategy: 'MultiRecord' })));
    expect(created.TransformJobArn).toBe('arn:aws:sagemaker:us-east-1:000000000000:transform-job/upper-run');
    const waited = await waitUntilTransformJobCompletedOrStopped({ client: sageMaker, minDelay: 1, maxDelay: 1, maxWaitTime: 20 }, { TransformJobName: 'upper-run' });
    expect(waited.state).toBe('SUCCESS');
    const job = await sageMaker.send(new DescribeTransformJobCommand({ TransformJobName: 'upper-run' }));
    expect(job).toMatchObject({
      TransformJobName: 'upper-run',
      TransformJobStatus: 'Completed',
      ModelName: 'upper',
      MaxPayloadInMB: 1,
      BatchStrategy: 'MultiRecord',
      TransformInput: { SplitType: 'Line', ContentType: 'text/plain', DataSource: { S3DataSource: { S3DataType: 'S3Prefix' } } },
      TransformOutput: { AssembleWith: 'Line' },
      TransformResources: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1 },
    });
    expect(job.CreationTime).toBeInstanceOf(Date);
    expect(job.TransformEndTime!.getTime()).toBeGreaterThanOrEqual(job.TransformStartTime!.getTime());
    expect(await readFile(join(dir.path, 'out', 'upper-run', 'a.txt.out'), 'utf8')).toBe('ONE\nTWO\nTHREE\n');
  });

  it('pages ListTransformJobs with MaxResults and NextToken, and filters by name, status and time', async () => {
    const before = new Date(Date.now() - 1000);
    for (const n of [1, 2, 3, 4, 5]) await sageMaker.send(new CreateTransformJobCommand(jobRequest(`page-${n}`)));
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await sageMaker.send(new ListTransformJobsCommand({ NameContains: 'page-', MaxResults: 2, NextToken: token }));
      expect(page.TransformJobSummaries!.length).toBeLessThanOrEqual(2);
      names.push(...page.TransformJobSummaries!.map((s) => s.TransformJobName!));
      token = page.NextToken;
      pages += 1;
    } while (token);
    expect(pages).toBe(3);
    expect(names).toEqual(['page-5', 'page-4', 'page-3', 'page-2', 'page-1']);

    const byName = await sageMaker.send(new ListTransformJobsCommand({ NameContains: 'page', SortBy: 'Name', SortOrder: 'Ascending', CreationTimeAfter: before }));
    expect(byName.TransformJobSummaries!.map((s) => s.TransformJobName)).toEqual(['page-1', 'page-2', 'page-3', 'page-4', 'page-5']);
    const completed = await sageMaker.send(new ListTransformJobsCommand({ StatusEquals: 'Completed' }));
    expect(completed.TransformJobSummaries!.map((s) => s.TransformJobName)).toContain('upper-run');
    expect(completed.TransformJobSummaries!.every((s) => s.TransformJobStatus === 'Completed')).toBe(true);
    const none = await sageMaker.send(new ListTransformJobsCommand({ NameContains: 'page', LastModifiedTimeBefore: before }));
    expect(none.TransformJobSummaries).toEqual([]);
    expect(none.NextToken).toBeUndefined();
  });

  it('stops a job: InProgress → Stopped', async () => {
    await sageMaker.send(new CreateTransformJobCommand(jobRequest('to-stop')));
    await sageMaker.send(new StopTransformJobCommand({ TransformJobName: 'to-stop' }));
    const waited = await waitUntilTransformJobCompletedOrStopped({ client: sageMaker, minDelay: 1, maxDelay: 1, maxWaitTime: 20 }, { TransformJobName: 'to-stop' });
    expect(waited.state).toBe('SUCCESS');
    expect((await sageMaker.send(new DescribeTransformJobCommand({ TransformJobName: 'to-stop' }))).TransformJobStatus).toMatch(/^(Stopped|Completed)$/);
  });
});

describe('SageMaker errors', () => {
  it('answers ValidationException naming the SageMaker field for MaxPayloadInMB 101', async () => {
    const error = await failureOf(sageMaker.send(new CreateTransformJobCommand(jobRequest('too-big', { MaxPayloadInMB: 101 }))));
    expect(error.name).toBe('ValidationException');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toMatch(/^1 validation error detected: MaxPayloadInMB: /);
    expect(error.message).not.toMatch(/\n\s+at /);
  });

  it('answers ResourceNotFound for a job that does not exist', async () => {
    const error = await failureOf(sageMaker.send(new DescribeTransformJobCommand({ TransformJobName: 'no-such-job' })));
    expect(error.name).toBe('ResourceNotFound');
    expect(error.message).toBe("no transform job named 'no-such-job'");
  });

  it('answers ResourceInUse for a second job of the same name', async () => {
    await sageMaker.send(new CreateTransformJobCommand(jobRequest('twice')));
    const error = await failureOf(sageMaker.send(new CreateTransformJobCommand(jobRequest('twice'))));
    expect(error.name).toBe('ResourceInUse');
    expect(error.message).toMatch(/a transform job named 'twice' already exists/);
  });

  it('answers ValidationException "Could not find model" for an unknown ModelName', async () => {
    const error = await failureOf(sageMaker.send(new CreateTransformJobCommand(jobRequest('orphan', { ModelName: 'nope' }))));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toMatch(/^Could not find model 'nope'/);
  });

  it('refuses a request signed with the wrong secret with InvalidSignatureException, and creates nothing', async () => {
    const error = await failureOf(client('not-the-secret').send(new CreateTransformJobCommand(jobRequest('forged'))));
    expect(error.name).toBe('InvalidSignatureException');
    expect(error.$metadata.httpStatusCode).toBe(403);
    expect(error.message).toMatch(/signature we calculated does not match/);
    expect((await failureOf(sageMaker.send(new DescribeTransformJobCommand({ TransformJobName: 'forged' })))).name).toBe('ResourceNotFound');
  });

  it('refuses an unknown access key with UnrecognizedClientException and an unsigned request with MissingAuthenticationTokenException', async () => {
    const stranger = new SageMakerClient({ endpoint: `${api.url}/api/sagemaker/`, region: 'us-east-1', credentials: { accessKeyId: 'SLKNOBODY', secretAccessKey: 'x' }, maxAttempts: 1 });
    expect((await failureOf(stranger.send(new DescribeTransformJobCommand({ TransformJobName: 'x' })))).name).toBe('UnrecognizedClientException');
    const response = await fetch(`${api.url}/api/sagemaker`, { method: 'POST', headers: { 'x-amz-target': 'SageMaker.ListTransformJobs', 'content-type': 'application/x-amz-json-1.1' }, body: '{}' });
    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    expect(await response.json()).toEqual({ __type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' });
  });
});
