import { execFile } from 'node:child_process';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccessKey, LOCAL_ACTOR } from '@sluice/core';
import { startTestService } from '@sluice/test-service';
import { startModelServer, tempDir, type RunningModelServer } from '@sluice/testkit';

// The clients SageMaker users already have, exactly as Debian ships them (botocore 1.29, aws-cli 2.9):
// not whatever newer copy is first on PATH, so the test is about what people run.
const PYTHON = '/usr/bin/python3';
const AWS_CLI = '/usr/bin/aws';
const BOTO3_SCRIPT = fileURLToPath(new URL('./clients/boto3_lifecycle.py', import.meta.url));
// The CLI requires --execution-role-arn (botocore 1.29's model); Sluice accepts and ignores it.
const ROLE = ['--execution-role-arn', 'arn:aws:iam::000000000000:role/sluice'];
const INSTALL = 'install them with `apt-get install -y python3-boto3 awscli` (.ci/run does)';

const run = promisify(execFile);
let api: Awaited<ReturnType<typeof startTestService>>;
let model: RunningModelServer;
let slowModel: RunningModelServer;
let dir: Awaited<ReturnType<typeof tempDir>>;
let credentials: { accessKeyId: string; secretAccessKey: string };

/** Fails (never skips) when a real client is missing, saying how to get it. */
async function requireClients(): Promise<void> {
  try {
    await access(AWS_CLI);
  } catch {
    throw new Error(`the AWS CLI is not at ${AWS_CLI}: ${INSTALL}`);
  }
  try {
    await run(PYTHON, ['-c', 'import boto3']);
  } catch {
    throw new Error(`${PYTHON} cannot import boto3: ${INSTALL}`);
  }
}

beforeAll(async () => {
  await requireClients();
  [api, model, slowModel, dir] = await Promise.all([
    startTestService(),
    startModelServer('upper'),
    // Slow enough that a stop arrives while the job is still running.
    startModelServer('upper', { FIXED_LATENCY_MS: '3000' }),
    tempDir('sluice-sagemaker-clients'),
  ]);
  credentials = await createAccessKey(api.core, LOCAL_ACTOR);
  await mkdir(join(dir.path, 'in'));
  await writeFile(join(dir.path, 'in', 'a.txt'), 'one\ntwo\nthree\n');
  // The CLI reads only these files (and the env below): nothing from this machine's ~/.aws leaks in.
  await mkdir(join(dir.path, 'aws'));
  await writeFile(join(dir.path, 'aws', 'config'), '[default]\nregion = us-east-1\noutput = json\n\n[profile forged]\nregion = us-east-1\n\n[profile temporary]\nregion = us-east-1\n');
  await writeFile(
    join(dir.path, 'aws', 'credentials'),
    `[default]\naws_access_key_id = ${credentials.accessKeyId}\naws_secret_access_key = ${credentials.secretAccessKey}\n\n[forged]\naws_access_key_id = ${credentials.accessKeyId}\naws_secret_access_key = not-the-secret\n\n[temporary]\naws_access_key_id = ${credentials.accessKeyId}\naws_secret_access_key = ${credentials.secretAccessKey}\naws_session_token = FwoGZXIvYXdzEXAMPLE\n`,
  );
});
afterAll(async () => {
  await api?.stop();
  await model?.stop();
  await slowModel?.stop();
  await dir?.remove();
});

/** A clean environment for a client: its own HOME and AWS files, no credentials but the test's. */
function clientEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: '/usr/bin:/bin',
    HOME: join(dir.path, 'aws'),
    LANG: 'C.UTF-8',
    AWS_CONFIG_FILE: join(dir.path, 'aws', 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir.path, 'aws', 'credentials'),
    AWS_PAGER: '',
    AWS_MAX_ATTEMPTS: '1',
    ...extra,
  };
}

const inputUri = () => `${pathToFileURL(join(dir.path, 'in'))}/`;
const outputUri = () => `${pathToFileURL(join(dir.path, 'out'))}/`;

describe('the SageMaker API through boto3 (Debian python3-boto3)', () => {
  it('drives create, wait, describe, list with filters and pages, stop and errors', async () => {
    const { stdout } = await run(PYTHON, [BOTO3_SCRIPT], {
      env: clientEnv({
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        AWS_DEFAULT_REGION: 'us-east-1',
        SLUICE_SAGEMAKER_URL: `${api.url}/api/sagemaker`,
        SLUICE_PREFIX: 'py-',
        SLUICE_MODEL_URL: model.url,
        SLUICE_SLOW_MODEL_URL: slowModel.url,
        SLUICE_INPUT_URI: inputUri(),
        SLUICE_OUTPUT_URI: outputUri(),
      }),
    }).catch((error: Error & { stderr?: string }) => {
      throw new Error(`the boto3 lifecycle failed:\n${error.stderr ?? error.message}`);
    });
    const result = JSON.parse(stdout) as Record<string, unknown>;
    expect(result.botocore).toMatch(/^1\./);
    expect(result.model).toBe('arn:aws:sagemaker:us-east-1:000000000000:model/py-upper');
    expect(result.created).toBe('arn:aws:sagemaker:us-east-1:000000000000:transform-job/py-run');
    expect(result.waited).toBe(true);
    expect(result.described).toEqual({ TransformJobName: 'py-run', TransformJobStatus: 'Completed', ModelName: 'py-upper' });
    expect(await readFile(join(dir.path, 'out', 'py-run', 'a.txt.out'), 'utf8')).toBe('ONE\nTWO\nTHREE\n');
    expect(result.pages).toEqual([['py-page-3', 'py-page-2'], ['py-page-1']]);
    expect(result.completed).toContainEqual(['py-run', 'Completed']);
    expect((result.completed as string[][]).every(([, status]) => status === 'Completed')).toBe(true);
    expect(result.stopping).toMatch(/^(Stopping|Stopped)$/);
    expect(result.stopped).toBe('Stopped');
    expect(result.missing).toEqual({ code: 'ResourceNotFound', message: "no transform job named 'py-no-such-job'", status: 400 });
    expect(result.forged).toMatchObject({ code: 'InvalidSignatureException', status: 403 });
    expect((result.forged as { message: string }).message).toMatch(/signature we calculated does not match.*Secret Access Key/);
  });
});

/** `aws sagemaker <args> --output json` against the service; resolves with the parsed output. */
async function aws(args: string[], profile = 'default'): Promise<Record<string, unknown>> {
  const { stdout } = await run(AWS_CLI, ['sagemaker', ...args, '--endpoint-url', `${api.url}/api/sagemaker`, '--output', 'json', '--profile', profile], { env: clientEnv() });
  return stdout.trim() === '' ? {} : (JSON.parse(stdout) as Record<string, unknown>);
}

/** What the CLI printed when a call failed (it exits 254 with the service's error on stderr). */
async function awsFailure(args: string[], profile = 'default'): Promise<string> {
  try {
    await aws(args, profile);
  } catch (error) {
    return String((error as { stderr?: string }).stderr);
  }
  throw new Error(`expected 'aws sagemaker ${args.join(' ')}' to fail, and it succeeded`);
}

function jobArgs(name: string, modelName = 'cli-upper'): string[] {
  return [
    'create-transform-job',
    '--transform-job-name', name,
    '--model-name', modelName,
    '--transform-input', JSON.stringify({ DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: inputUri() } }, SplitType: 'Line', ContentType: 'text/plain' }),
    '--transform-output', JSON.stringify({ S3OutputPath: `${outputUri()}${name}/`, AssembleWith: 'Line' }),
    '--transform-resources', JSON.stringify({ InstanceType: 'ml.m5.xlarge', InstanceCount: 1 }),
  ];
}

/**
 * `aws sagemaker wait transform-job-completed-or-stopped` polls every 60 seconds and the CLI has no
 * flag or variable to shorten it, so the test polls describe-transform-job instead (what the waiter does).
 */
async function waitForEnd(name: string): Promise<string> {
  for (let attempt = 0; attempt < 60; attempt += 1) {
    const { TransformJobStatus: status } = await aws(['describe-transform-job', '--transform-job-name', name]);
    if (status === 'Completed' || status === 'Stopped' || status === 'Failed') return status;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error(`transform job ${name} did not end within 60 s`);
}

describe('the SageMaker API through the AWS CLI (Debian awscli)', () => {
  it('creates a model and a job, waits, describes it and reads its output', async () => {
    await aws(['create-model', ...ROLE, '--model-name', 'cli-upper', '--primary-container', JSON.stringify({ Image: model.url })]);
    const created = await aws(jobArgs('cli-run'));
    expect(created.TransformJobArn).toBe('arn:aws:sagemaker:us-east-1:000000000000:transform-job/cli-run');
    expect(await waitForEnd('cli-run')).toBe('Completed');
    const job = await aws(['describe-transform-job', '--transform-job-name', 'cli-run']);
    expect(job).toMatchObject({ TransformJobName: 'cli-run', TransformJobStatus: 'Completed', ModelName: 'cli-upper', TransformInput: { SplitType: 'Line' } });
    expect(await readFile(join(dir.path, 'out', 'cli-run', 'a.txt.out'), 'utf8')).toBe('ONE\nTWO\nTHREE\n');
  });

  it('pages list-transform-jobs with --max-results and --next-token, and filters by name and status', async () => {
    for (const n of [1, 2, 3]) await aws(jobArgs(`cli-page-${n}`));
    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const page = await aws(['list-transform-jobs', '--no-paginate', '--name-contains', 'cli-page-', '--max-results', '2', ...(token ? ['--next-token', token] : [])]);
      pages.push((page.TransformJobSummaries as { TransformJobName: string }[]).map((s) => s.TransformJobName));
      token = page.NextToken as string | undefined;
    } while (token);
    expect(pages).toEqual([['cli-page-3', 'cli-page-2'], ['cli-page-1']]);
    const completed = await aws(['list-transform-jobs', '--name-contains', 'cli-', '--status-equals', 'Completed']);
    const summaries = completed.TransformJobSummaries as { TransformJobName: string; TransformJobStatus: string }[];
    expect(summaries.map((s) => s.TransformJobName)).toContain('cli-run');
    expect(summaries.every((s) => s.TransformJobStatus === 'Completed')).toBe(true);
  });

  it('stops a running job: Stopping, then Stopped', async () => {
    await aws(['create-model', ...ROLE, '--model-name', 'cli-slow', '--primary-container', JSON.stringify({ Image: slowModel.url })]);
    await aws(jobArgs('cli-stop', 'cli-slow'));
    await aws(['stop-transform-job', '--transform-job-name', 'cli-stop']);
    expect((await aws(['describe-transform-job', '--transform-job-name', 'cli-stop'])).TransformJobStatus).toMatch(/^(Stopping|Stopped)$/);
    expect(await waitForEnd('cli-stop')).toBe('Stopped');
  });

  it('refuses temporary credentials (a session token), saying Sluice keys are long-lived', async () => {
    expect(await awsFailure(['list-transform-jobs'], 'temporary')).toMatch(/\(UnrecognizedClientException\).*Temporary credentials.*not accepted: Sluice's access keys are long-lived/);
  });

  it('reports a missing job as ResourceNotFound and a wrong secret as a signature error', async () => {
    expect(await awsFailure(['describe-transform-job', '--transform-job-name', 'cli-no-such-job'])).toMatch(
      /An error occurred \(ResourceNotFound\) when calling the DescribeTransformJob operation.*: no transform job named 'cli-no-such-job'/,
    );
    expect(await awsFailure(['list-transform-jobs'], 'forged')).toMatch(/\(InvalidSignatureException\).*signature we calculated does not match.*Secret Access Key/);
  });
});
