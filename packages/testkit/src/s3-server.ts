import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { buildApp } from 'fauxqs';
import type { AddressInfo } from 'node:net';

/**
 * How to reach the test server; the same shape as the engine's StorageConfig (declared here, not
 * imported, so testkit does not depend on the engine it tests).
 */
export interface S3TestServerConfig {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  forcePathStyle: true;
}

export interface S3TestServer {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  config: S3TestServerConfig;
  /** A client for setting up and inspecting buckets in tests. */
  client: S3Client;
  createBucket(name: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * An S3-protocol server in this process (fauxqs), on a free port of 127.0.0.1. What it does not do
 * like S3: it keeps everything in memory; it refuses any request body over 11 MiB (so a single
 * PutObject over 11 MiB, or parts larger than that); ListMultipartUploads is always empty; it does
 * not store or return server-side encryption settings; it lists keys in `localeCompare` order, not
 * byte order (keep test keys to one case of letters, digits and '/').
 */
export async function startS3Server(): Promise<S3TestServer> {
  const app = buildApp({ logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const config: S3TestServerConfig = {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    forcePathStyle: true,
  };
  const client = new S3Client({
    ...config,
    // The SDK's default aws-chunked checksum trailers are not for S3-compatible servers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return {
    endpoint,
    config,
    client,
    async createBucket(name) {
      await client.send(new CreateBucketCommand({ Bucket: name }));
    },
    async stop() {
      client.destroy();
      await app.close();
    },
  };
}
