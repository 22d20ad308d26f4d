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
const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;

/**
 * Verifies AWS Signature V4 by signing the request again with the key's stored secret and
 * comparing signatures in constant time. Returns the key (whose owner the caller turns into an
 * actor); throws AWS's error shapes.
 */
export async function verifySignature(core: Core, request: SignedRequest, now = new Date()): Promise<FoundAccessKey> {
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
  if (!signedHeaders.includes('host')) throw protocolErrors.invalidSignature("SignedHeaders must include 'host'.");

  // A client may sign a payload hash instead of the payload (or UNSIGNED-PAYLOAD): hold it to the body.
  const payloadHash = header(request, 'x-amz-content-sha256');
  if (payloadHash !== undefined && payloadHash !== createHash('sha256').update(request.body).digest('hex')) {
    throw protocolErrors.invalidSignature('X-Amz-Content-Sha256 does not match the body.');
  }

  const key = await findAccessKey(core, accessKeyId!);
  if (!key || key.revoked) throw protocolErrors.unrecognizedClient();

  const url = new URL(request.url, 'http://localhost');
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) headers[name] = header(request, name) ?? '';
  const signer = new SignatureV4({ service: SERVICE, region: region!, credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey }, sha256: Hash.bind(null, 'sha256') });
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
