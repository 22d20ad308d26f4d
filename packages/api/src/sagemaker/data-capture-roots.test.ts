// DataCaptureConfig writes under its destination like a job writes its outputs, so the destination
// is held to the same roots (SLUICE_S3_ROOTS, SLUICE_FILE_ROOTS, {team}): one team cannot have its
// job's capture written into another team's storage, through tRPC or the SageMaker API.
import { CreateTransformJobCommand, SageMakerClient, type CreateTransformJobCommandInput } from '@aws-sdk/client-sagemaker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, sessionClient, startRequiredApi, tokenClient, type TestUser } from '../auth/test-support/auth-harness.js';
import { failureOf } from '../test-support/api-harness.js';

let api: Awaited<ReturnType<typeof startRequiredApi>>;
let user: TestUser;
let sageMaker: SageMakerClient;

beforeAll(async () => {
  api = await startRequiredApi({ auth: { s3Roots: ['s3://datasets/{team}/'], fileRoots: ['file:///data/{team}/'] } });
  user = await makeUser(api.core, 'ops@example.com', 'ops', 'member');
  await tokenClient(api.url, user.token).models.create.mutate({ name: 'm', kind: 'http', url: 'http://127.0.0.1:9' });
  const key = await (await sessionClient(api.url, user)).account.keys.create.mutate();
  sageMaker = new SageMakerClient({ endpoint: `${api.url}/api/sagemaker`, region: 'us-east-1', credentials: key, maxAttempts: 1 });
});
afterAll(async () => {
  await api?.stop();
});

const job = (name: string, destinationS3Uri: string) => ({
  name,
  modelName: 'm',
  input: { uri: 's3://datasets/ops/in/' },
  output: { uri: 's3://datasets/ops/out/' },
  transform: { dataCaptureConfig: { destinationS3Uri } },
});

describe("the capture destination and the team's roots", () => {
  it("accepts a destination under the team's own root", async () => {
    const created = await tokenClient(api.url, user.token).jobs.create.mutate(job('inside', 's3://datasets/ops/capture'));
    expect(created.transform.dataCaptureConfig).toEqual({ destinationS3Uri: 's3://datasets/ops/capture' });
  });

  it("refuses another team's prefix, another bucket, '..' and a file:// path outside the roots, naming the field and the setting", async () => {
    for (const destination of ['s3://datasets/other-team/capture', 's3://datasets/ops/../other-team/capture', 's3://elsewhere/ops/capture']) {
      const error = await failureOf(tokenClient(api.url, user.token).jobs.create.mutate(job('refused', destination)));
      expect(error.data?.appCode, destination).toBe('VALIDATION');
      expect(error.data?.issues, destination).toEqual([
        { path: 'transform.dataCaptureConfig.destinationS3Uri', message: expect.stringContaining(`${destination} is outside the s3:// locations this service may use (SLUICE_S3_ROOTS=s3://datasets/ops/)`) },
      ]);
    }
    const file = await failureOf(tokenClient(api.url, user.token).jobs.create.mutate(job('refused', 'file:///data/other-team/capture/')));
    expect(file.data?.issues).toEqual([
      { path: 'transform.dataCaptureConfig.destinationS3Uri', message: expect.stringContaining('file:///data/other-team/capture/ is outside the file:// roots this service may use (SLUICE_FILE_ROOTS=file:///data/ops/)') },
    ]);
  });

  it('answers CreateTransformJob with a ValidationException naming DataCaptureConfig.DestinationS3Uri', async () => {
    const request = (name: string, destination: string): CreateTransformJobCommandInput => ({
      TransformJobName: name,
      ModelName: 'm',
      TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://datasets/ops/in/' } } },
      TransformOutput: { S3OutputPath: 's3://datasets/ops/out/' },
      TransformResources: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1 },
      DataCaptureConfig: { DestinationS3Uri: destination, GenerateInferenceId: false },
    });
    const refused = await sageMaker.send(new CreateTransformJobCommand(request('sm-refused', 's3://datasets/other-team/capture'))).catch((e: Error) => e);
    expect(refused).toMatchObject({
      name: 'ValidationException',
      message: expect.stringMatching(/^1 validation error detected: DataCaptureConfig\.DestinationS3Uri: s3:\/\/datasets\/other-team\/capture is outside the s3:\/\/ locations this service may use \(SLUICE_S3_ROOTS=s3:\/\/datasets\/ops\/\)/),
    });
    const created = await sageMaker.send(new CreateTransformJobCommand(request('sm-inside', 's3://datasets/ops/capture/')));
    expect(created.TransformJobArn).toMatch(/transform-job\/sm-inside$/);
  });
});
