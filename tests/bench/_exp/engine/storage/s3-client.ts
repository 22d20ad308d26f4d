import { S3Client } from '@aws-sdk/client-s3';
import { DEFAULT_ENDPOINT_REGION, type StorageConfig } from './storage-config.js';

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
  });
}
