import { createHash, timingSafeEqual } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { findAccessKey, recordAccessKeyUse, type Core, type FoundAccessKey } from '@sluice/core';
import { protocolErrors } from './errors.js';

/** The request as received; header names lower-case (as node gives them). */
export interface SignedRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** The client's address, for the audit log. */
  ip?: string | null;
}

const SERVICE = 'sagemaker';
/** AWS refuses signatures more than 15 minutes away from its clock; so do we. */
const MAX_SKEW_MS = 15 * 60 * 1000;
/** Query parameters of presigned SigV4 (any one of them marks a presigned request). */
/** Headers every request must sign: where it goes, when, which action, and how its body reads. */
const REQUIRED_SIGNED_HEADERS = ['host', 'x-amz-date', 'x-amz-target', 'content-type'];
const PRESIGNED_PARAMS = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Security-Token'];
const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;

/**
 * Verifies AWS Signature V4 by signing the request again with the key's stored secret and
 * comparing signatures in constant time. Returns the key (whose owner the caller turns into an
 * actor); throws AWS's error shapes.
 */
export async function verifySignature(core: Core, request: SignedRequest, now = new Date()): Promise<FoundAccessKey> {
  const url = new URL(request.url, 'http://localhost');
  // No SageMaker client presigns control-plane calls (a POST's JSON body cannot ride in a URL):
  // say so rather than "Missing Authentication Token".
  if (PRESIGNED_PARAMS.some((name) => url.searchParams.has(name))) {
    throw protocolErrors.incompleteSignature('Presigned (query-string) SigV4 is not accepted by the SageMaker API: sign with the Authorization header, as the AWS SDKs, boto3 and the AWS CLI do.');
  }
  // Temporary credentials (STS, an assumed role, SSO) carry a session token that Sluice never issued.
  if (header(request, 'x-amz-security-token') !== undefined) {
    throw protocolErrors.unrecognizedClient("Temporary credentials (X-Amz-Security-Token: STS, an assumed role, SSO) are not accepted: Sluice's access keys are long-lived. Sign with a key from 'sluice keys create' alone (unset AWS_SESSION_TOKEN, or use a profile without aws_session_token).");
  }
  const authorization = header(request, 'authorization');
  if (!authorization) throw protocolErrors.missingToken();
  const match = AUTHORIZATION.exec(authorization.trim());
  if (!match) throw protocolErrors.incompleteSignature("Authorization header requires 'AWS4-HMAC-SHA256 Credential=.../<date>/<region>/sagemaker/aws4_request, SignedHeaders=..., Signature=...'");
  const [, accessKeyId, scopeDate, region, service, signedHeaderList, signature] = match as unknown as string[];
  if (service !== SERVICE) throw protocolErrors.invalidSignature(`Credential should be scoped to correct service: '${SERVICE}'.`);

  const amzDate = header(request, 'x-amz-date');
  const signingDate = amzDate ? parseAmzDate(amzDate) : undefined;
  if (!signingDate) throw protocolErrors.incompleteSignature('X-Amz-Date must be present, as YYYYMMDDTHHMMSSZ');
  if (Math.abs(now.getTime() - signingDate.getTime()) > MAX_SKEW_MS) {
    throw protocolErrors.invalidSignature(`Signature expired: ${amzDate} is more than 15 minutes from the server's time ${formatAmzDate(now)}; check the client's clock.`);
  }
  if (!amzDate!.startsWith(scopeDate!)) throw protocolErrors.invalidSignature(`Credential should be scoped to a valid date: '${scopeDate}' is not the day of X-Amz-Date '${amzDate}'.`);
  const signedHeaders = signedHeaderList!.split(';');
  // What a request does is in these headers: signed, a captured Describe cannot be replayed as a
  // Stop (another X-Amz-Target) within the 15 minutes, nor moved to another date or body type.
  // Every AWS SDK, boto3 and the AWS CLI sign them all.
  const unsigned = REQUIRED_SIGNED_HEADERS.filter((name) => !signedHeaders.includes(name));
  if (unsigned.length > 0) throw protocolErrors.invalidSignature(`SignedHeaders must include ${REQUIRED_SIGNED_HEADERS.map((n) => `'${n}'`).join(', ')}; missing: ${unsigned.join(', ')}.`);

  // A client may send a payload hash (signed or not; UNSIGNED-PAYLOAD too): hold it to the body.
  const payloadHash = header(request, 'x-amz-content-sha256');
  if (payloadHash !== undefined && payloadHash !== createHash('sha256').update(request.body).digest('hex')) {
    throw protocolErrors.invalidSignature('X-Amz-Content-Sha256 does not match the body.');
  }

  const key = await findAccessKey(core, accessKeyId!);
  if (!key || key.revoked) throw protocolErrors.unrecognizedClient();

  // Sign exactly what the client signed: the headers it listed, nothing added. The signer hashes the
  // body itself unless x-amz-content-sha256 is among them (then it is the hash the client signed),
  // and applyChecksum: false keeps it from adding that header when the client did not sign one
  // (botocore does not for SageMaker: every boto3 and AWS CLI call failed with it).
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) headers[name] = header(request, name) ?? '';
  const signer = new SignatureV4({
    service: SERVICE,
    region: region!,
    credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey },
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: false,
  });
  const expected = await signer.sign(
    { method: request.method, protocol: 'http:', hostname: url.hostname, path: url.pathname, query: Object.fromEntries(url.searchParams), headers, body: request.body },
    { signingDate, signableHeaders: new Set(signedHeaders) },
  );
  const expectedSignature = /Signature=([0-9a-f]{64})/.exec(String(expected.headers.authorization ?? ''))?.[1] ?? '';
  if (!sameSignature(expectedSignature, signature!)) {
    throw protocolErrors.invalidSignature('The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.');
  }
  await recordAccessKeyUse(core, key.accessKeyId, now);
  return key;
}

function sameSignature(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'hex');
  const b = Buffer.from(given, 'hex');
  return a.length === 32 && b.length === 32 && timingSafeEqual(a, b);
}

function header(request: SignedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function parseAmzDate(text: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
}

function formatAmzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}
