import { S3Client } from '@aws-sdk/client-s3';
import { DEFAULT_ENDPOINT_REGION, type StorageConfig } from './storage-config.js';

/** How long connecting to the object store may take. */
export const S3_CONNECT_TIMEOUT_MS = 10_000;
/** How long a socket to the object store may stay silent (waiting for headers or body bytes). */
export const S3_IDLE_TIMEOUT_MS = 60_000;

/** An S3 client for `config`, with the settings every S3-compatible store needs. */
export function createS3Client(config: StorageConfig): S3Client {
  const { endpoint, credentials } = config;
  return new S3Client({
    endpoint,
    region: config.region ?? (endpoint ? DEFAULT_ENDPOINT_REGION : undefined),
    credentials,
    // Custom endpoints (MinIO, Ceph, fauxqs...) rarely resolve bucket subdomains.
    forcePathStyle: config.forcePathStyle ?? endpoint !== undefined,
    // A bucket in another region than AWS_REGION would otherwise fail with a bare 301.
    followRegionRedirects: endpoint === undefined,
    // Since 3.729 the SDK adds CRC32 checksums in aws-chunked trailers by default; S3-compatible
    // servers mishandle them (corrupt bodies, 400s). Send checksums only where S3 requires them.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // Without these a dead connection hangs a task for ever: connecting may take 10 s, and a socket
    // silent for 60 s (no headers, or a body that stalls) is closed; reads then resume (s3-store).
    requestHandler: { connectionTimeout: S3_CONNECT_TIMEOUT_MS, requestTimeout: config.idleTimeoutMs ?? S3_IDLE_TIMEOUT_MS },
  });
}
