import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccessKey, LOCAL_ACTOR, openCore } from '@sluice/core';
import { startTestDatabase } from '@sluice/db';
import { SageMakerError } from './errors.js';
import { verifySignature, type SignedRequest } from './sigv4.js';

let database: Awaited<ReturnType<typeof startTestDatabase>>;
let core: Awaited<ReturnType<typeof openCore>>;
let key: { accessKeyId: string; secretAccessKey: string };

beforeAll(async () => {
  database = await startTestDatabase();
  core = await openCore({ databaseUrl: database.url });
  key = await createAccessKey(core, LOCAL_ACTOR);
});
afterAll(async () => {
  await core?.close();
  await database?.stop();
});

const HOST = '127.0.0.1:3000';
const BODY = Buffer.from('{"TransformJobName":"a"}');
const SIGNED_AT = new Date('2026-03-01T12:00:00Z');

interface ClientSigning {
  /** Whether the client signs x-amz-content-sha256 (the JS SDK does; botocore does not for SageMaker). */
  signsPayloadHash?: boolean;
  secret?: string;
  at?: Date;
}

/** A request signed as a client signs it: only the headers the client chose are in SignedHeaders. */
async function signedRequest({ signsPayloadHash = false, secret = key.secretAccessKey, at = SIGNED_AT }: ClientSigning = {}): Promise<SignedRequest> {
  const signer = new SignatureV4({
    service: 'sagemaker',
    region: 'eu-west-1',
    credentials: { accessKeyId: key.accessKeyId, secretAccessKey: secret },
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: signsPayloadHash,
  });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 3000,
      path: '/api/sagemaker/',
      headers: { host: HOST, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'SageMaker.DescribeTransformJob' },
      body: BODY,
    },
    { signingDate: at },
  );
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) headers[name.toLowerCase()] = String(value);
  // Sent after signing, as user agents and proxies add headers: not signed, so not verified.
  headers['user-agent'] = 'Boto3/1.26.27 Python/3.11.2';
  return { method: 'POST', url: '/api/sagemaker/', headers, body: BODY };
}

async function refusal(request: SignedRequest, now = SIGNED_AT): Promise<SageMakerError> {
  try {
    await verifySignature(core, request, now);
  } catch (error) {
    if (error instanceof SageMakerError) return error;
    throw error;
  }
  throw new Error('expected the signature to be refused, and it was accepted');
}

describe('SigV4 verification', () => {
  it('accepts a request that does not sign x-amz-content-sha256, as boto3 and the AWS CLI send', async () => {
    const request = await signedRequest();
    expect(request.headers.authorization).toMatch(/SignedHeaders=content-type;host;x-amz-date;x-amz-target,/);
    expect((await verifySignature(core, request, SIGNED_AT)).accessKeyId).toBe(key.accessKeyId);
  });

  it('accepts a request that signs x-amz-content-sha256, as the AWS SDK for JavaScript sends', async () => {
    const request = await signedRequest({ signsPayloadHash: true });
    expect(request.headers.authorization).toMatch(/SignedHeaders=[^,]*x-amz-content-sha256/);
    expect((await verifySignature(core, request, SIGNED_AT)).accessKeyId).toBe(key.accessKeyId);
  });

  it('refuses a body changed after signing, whether or not its hash was signed', async () => {
    for (const signsPayloadHash of [false, true]) {
      const request = { ...(await signedRequest({ signsPayloadHash })), body: Buffer.from('{"TransformJobName":"b"}') };
      const error = await refusal(request);
      expect(error.type).toBe('InvalidSignatureException');
    }
  });

  it('refuses a changed signed header, and a wrong secret, naming what to check', async () => {
    const request = await signedRequest();
    const retargeted = await refusal({ ...request, headers: { ...request.headers, 'x-amz-target': 'SageMaker.StopTransformJob' } });
    expect(retargeted.message).toMatch(/signature we calculated does not match/);
    const forged = await refusal(await signedRequest({ secret: 'not-the-secret' }));
    expect(forged).toMatchObject({ type: 'InvalidSignatureException', status: 403 });
    expect(forged.message).toMatch(/Check your AWS Secret Access Key and signing method/);
  });

  it('refuses an unsigned x-amz-content-sha256 that does not match the body', async () => {
    const request = await signedRequest();
    const error = await refusal({ ...request, headers: { ...request.headers, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
    expect(error.message).toBe('X-Amz-Content-Sha256 does not match the body.');
  });

  it('refuses a replayed request signed more than 15 minutes ago, and accepts one within', async () => {
    const request = await signedRequest();
    const replayed = await refusal(request, new Date(SIGNED_AT.getTime() + 16 * 60_000));
    expect(replayed.type).toBe('InvalidSignatureException');
    expect(replayed.message).toMatch(/^Signature expired: 20260301T120000Z is more than 15 minutes from the server's time 20260301T121600Z; check the client's clock\.$/);
    expect((await refusal(request, new Date(SIGNED_AT.getTime() - 16 * 60_000))).message).toMatch(/^Signature expired/);
    expect((await verifySignature(core, request, new Date(SIGNED_AT.getTime() + 14 * 60_000))).accessKeyId).toBe(key.accessKeyId);
  });

  it('refuses temporary credentials (x-amz-security-token), saying keys are long-lived', async () => {
    const request = await signedRequest();
    const error = await refusal({ ...request, headers: { ...request.headers, 'x-amz-security-token': 'FwoGZXIvYXdzE...' } });
    expect(error).toMatchObject({ type: 'UnrecognizedClientException', status: 403 });
    expect(error.message).toMatch(/Temporary credentials \(X-Amz-Security-Token.*not accepted: Sluice's access keys are long-lived.*sluice keys create/);
  });

  it('refuses presigned (query-string) SigV4, saying to sign with the Authorization header', async () => {
    const query = `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${key.accessKeyId}%2F20260301%2Fus-east-1%2Fsagemaker%2Faws4_request&X-Amz-Date=20260301T120000Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host&X-Amz-Signature=${'0'.repeat(64)}`;
    const error = await refusal({ method: 'POST', url: `/api/sagemaker/?${query}`, headers: { host: HOST }, body: BODY });
    expect(error.type).toBe('IncompleteSignatureException');
    expect(error.message).toMatch(/^Presigned \(query-string\) SigV4 is not accepted.*Authorization header/);
  });
});
