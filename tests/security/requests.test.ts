// #13 (medium): what a request can make the server do before and beyond what it proves.
// - SigV4: a signature that leaves out X-Amz-Target (or the date, or the body's type) would let a
//   captured DescribeTransformJob be replayed as StopTransformJob within the 15-minute window;
// - action and route tables are looked up as own properties (`SageMaker.constructor` once reached
//   Object.prototype's constructor with the request's context);
// - every door reads at most its limit of body, refused while it streams (or from Content-Length)
//   before authentication work.
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUser, requiredAuthSettings, startTestApi, tokenClient, type TestApi } from '@sluice/api/test-support';
import { createAccessKey, findUserByEmail, actorInTeam } from '@sluice/core';
import { portOf, rawRequest } from './support.js';

let api: TestApi;
let key: { accessKeyId: string; secretAccessKey: string };
const SECRET = 'a-secret-key-of-this-service-0123456789';

beforeAll(async () => {
  api = await startTestApi({ settings: requiredAuthSettings({ secretKey: SECRET }) });
  const user = await makeUser(api.core, 'a@example.com', 'team-a', 'admin');
  const found = await findUserByEmail(api.core, user.email);
  key = await createAccessKey(api.core, (await actorInTeam(api.core, found!, 'team-a'))!);
  await tokenClient(api.url, user.token).models.create.mutate({ name: 'm', kind: 'http', url: 'http://127.0.0.1:9/' });
});
afterAll(() => api?.stop());

/** A SageMaker request signed over `signed` headers only (a client's choice), then sent with `sent` changes. */
async function sageMaker(target: string, body: object, { unsigned = [] as string[], sentTarget = target } = {}) {
  const port = portOf(api.url);
  const signer = new SignatureV4({ service: 'sagemaker', region: 'us-east-1', credentials: key, sha256: Hash.bind(null, 'sha256'), applyChecksum: false });
  const text = JSON.stringify(body);
  const signed = await signer.sign(
    { method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port, path: '/api/sagemaker/', headers: { host: `127.0.0.1:${port}`, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `SageMaker.${target}` }, body: text },
    { unsignableHeaders: new Set(unsigned) },
  );
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) headers[name.toLowerCase()] = String(value);
  headers['x-amz-target'] = `SageMaker.${sentTarget}`;
  const answer = await rawRequest('127.0.0.1', port, { method: 'POST', path: '/api/sagemaker/', headers, body: text });
  return { status: answer.status, body: JSON.parse(answer.body) as { __type?: string; message?: string } };
}

describe('SigV4', () => {
  it('accepts a request that signs what it does', async () => {
    expect((await sageMaker('ListModels', {})).status).toBe(200);
  });

  it('refuses a signature that leaves out X-Amz-Target: a captured Describe cannot become a Stop', async () => {
    const replay = await sageMaker('DescribeModel', { ModelName: 'm' }, { unsigned: ['x-amz-target'], sentTarget: 'DeleteModel' });
    expect(replay.status).toBe(403);
    expect(replay.body.__type).toBe('InvalidSignatureException');
    expect(replay.body.message).toContain("SignedHeaders must include 'host', 'x-amz-date', 'x-amz-target', 'content-type'; missing: x-amz-target");
    expect((await sageMaker('DescribeModel', { ModelName: 'm' })).status).toBe(200);
  });

  it('refuses a signature that leaves out Content-Type', async () => {
    const answer = await sageMaker('ListModels', {}, { unsigned: ['content-type'] });
    expect(answer.body.message).toContain('missing: content-type');
  });

  it("knows only its own actions: SageMaker.constructor and friends are unknown operations, and nothing leaks", async () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const answer = await sageMaker(name, {});
      expect(answer.status, name).toBe(400);
      expect(answer.body.__type, name).toBe('UnknownOperationException');
      expect(JSON.stringify(answer.body)).not.toContain(SECRET);
    }
  });
});

describe('the sign-in routes', () => {
  it('know only their own routes', async () => {
    for (const route of ['constructor', 'toString', '__proto__']) {
      const answer = await rawRequest('127.0.0.1', portOf(api.url), { path: `/api/auth/${route}` });
      expect(answer.status, route).toBe(404);
    }
  });
});

describe('request bodies', () => {
  const huge = Buffer.alloc(3 * 1024 * 1024, 'a');

  it('tRPC refuses an oversized body with 413 before signing anyone in', async () => {
    const answer = await rawRequest('127.0.0.1', portOf(api.url), { method: 'POST', path: '/api/trpc/jobs.create', headers: { 'content-type': 'application/json' }, body: huge });
    expect(answer.status).toBe(413);
  });

  it('the SageMaker API refuses a declared oversized body without reading it', async () => {
    const answer = await rawRequest('127.0.0.1', portOf(api.url), {
      method: 'POST',
      path: '/api/sagemaker/',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'SageMaker.ListModels', 'content-length': String(50 * 1024 * 1024) },
      body: '{}',
    });
    expect(answer.status).toBe(413);
    expect(answer.body).toContain('the body is over 1048576 bytes');
  });

  it('the sign-in route refuses an oversized body', async () => {
    const answer = await rawRequest('127.0.0.1', portOf(api.url), { method: 'POST', path: '/api/auth/sign-in', headers: { 'content-type': 'application/json' }, body: huge });
    expect(answer.status).toBe(413);
  });
});
