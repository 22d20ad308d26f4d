import { StorageError } from './object-store.js';

/** What the store was doing when S3 failed; it picks the permission named in the message. */
export type S3Action = 'listing' | 'reading' | 'writing' | 'deleting';

const PERMISSION: Record<S3Action, string> = {
  listing: 's3:ListBucket',
  reading: 's3:GetObject',
  writing: 's3:PutObject (and kms:GenerateDataKey when a KMS key is set)',
  deleting: 's3:DeleteObject',
};

const DENIED = new Set([
  'AccessDenied',
  'Forbidden', // what the SDK calls a 403 to HEAD, which has no body to name the error
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'InvalidToken',
  'AllAccessDisabled',
  'KMS.AccessDeniedException',
]);

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH']);

interface AwsLikeError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/** Maps an AWS SDK error to a StorageError that names the s3:// URI and what to check. */
export function s3Error(err: unknown, uri: string, action: S3Action): StorageError {
  if (err instanceof StorageError) return err;
  const { name = 'Error', code, message = String(err), $metadata } = (err ?? {}) as AwsLikeError;
  const status = $metadata?.httpStatusCode;
  const bucket = uri.slice('s3://'.length).split('/')[0];
  const make = (kind: StorageError['code'], text: string) => new StorageError(kind, uri, text, { cause: err });

  if (name === 'AbortError') return make('Aborted', `Stopped ${action} ${uri}.`);
  if (name === 'NoSuchBucket') {
    return make(
      'NoSuchBucket',
      `Bucket "${bucket}" does not exist (${action} ${uri}). Check the bucket name, and that S3_ENDPOINT and AWS_REGION point at the store that holds it.`,
    );
  }
  if (name === 'NoSuchKey' || name === 'NotFound' || status === 404) {
    return make('NotFound', `No object at ${uri}. Check the key: S3 keys are case-sensitive and match whole.`);
  }
  if (DENIED.has(name) || status === 403) {
    return make(
      'AccessDenied',
      `Access denied ${action} ${uri} (${name}). Check that the credentials Sluice runs with (AWS_PROFILE, AWS_ACCESS_KEY_ID, or the instance role) allow ${PERMISSION[action]} there.`,
    );
  }
  if (name === 'CredentialsProviderError') {
    return make(
      'AccessDenied',
      `No AWS credentials found for ${uri}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or AWS_PROFILE, or run with an instance or task role.`,
    );
  }
  if (name === 'PermanentRedirect' || name === 'AuthorizationHeaderMalformed') {
    return make('Io', `Bucket "${bucket}" is in another region than the one configured (${name}): set AWS_REGION to the bucket's region.`);
  }
  if (message.includes('Region is missing')) {
    return make('Io', `No AWS region configured for ${uri}: set AWS_REGION (or S3_ENDPOINT for an S3-compatible store).`);
  }
  if (code && UNREACHABLE.has(code)) {
    return make('Io', `Could not reach the S3 endpoint ${action} ${uri} (${code}). Check S3_ENDPOINT and the network.`);
  }
  return make('Io', `Failed ${action} ${uri}: ${name}: ${message}`);
}
