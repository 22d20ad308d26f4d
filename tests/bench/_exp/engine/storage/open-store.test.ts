import { describe, expect, it } from 'vitest';
import { openStore } from './open-store.js';
import type { S3ObjectStore } from './s3-store.js';
import { storageConfigFromEnv } from './storage-config.js';

describe('storageConfigFromEnv', () => {
  it('needs nothing for AWS: the SDK chain finds region and credentials', () => {
    expect(storageConfigFromEnv({})).toEqual({});
    expect(storageConfigFromEnv({ AWS_REGION: 'eu-west-1' })).toEqual({ region: 'eu-west-1' });
  });

  it('defaults the region to us-east-1 for an S3-compatible endpoint', () => {
    expect(storageConfigFromEnv({ S3_ENDPOINT: 'http://127.0.0.1:9000' })).toEqual({ endpoint: 'http://127.0.0.1:9000', region: 'us-east-1' });
    expect(storageConfigFromEnv({ S3_ENDPOINT: 'http://minio:9000', AWS_REGION: 'eu-west-1', S3_FORCE_PATH_STYLE: 'false' })).toEqual({
      endpoint: 'http://minio:9000',
      region: 'eu-west-1',
      forcePathStyle: false,
    });
  });

  it('names the variable that is malformed', () => {
    expect(() => storageConfigFromEnv({ S3_ENDPOINT: 'minio:9000' })).toThrow(/S3_ENDPOINT must be an http\(s\) URL/);
    expect(() => storageConfigFromEnv({ S3_FORCE_PATH_STYLE: 'yes' })).toThrow(/S3_FORCE_PATH_STYLE must be "true" or "false", got "yes"/);
  });
});

describe('openStore', () => {
  const config = { endpoint: 'http://127.0.0.1:9', region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } };

  it('opens the file store for file:// and a bucket store for s3://', () => {
    expect(openStore('file:///data/in/', config)).toMatchObject({ key: 'data/in/', store: { scheme: 'file', bucket: '' } });
    expect(openStore('s3://bucket/in/x.csv', config)).toMatchObject({ key: 'in/x.csv', store: { scheme: 's3', bucket: 'bucket' } });
  });

  it('shares one S3 client per configuration, with the settings S3-compatible stores need', async () => {
    const a = openStore('s3://one/x', config).store as S3ObjectStore;
    const b = openStore('s3://two/y', { ...config }).store as S3ObjectStore;
    const c = openStore('s3://one/x', { ...config, endpoint: 'http://127.0.0.1:10' }).store as S3ObjectStore;
    expect(a.client).toBe(b.client);
    expect(c.client).not.toBe(a.client);
    expect(a.client.config.forcePathStyle).toBe(true);
    expect(await a.client.config.requestChecksumCalculation()).toBe('WHEN_REQUIRED');
    expect(await a.client.config.responseChecksumValidation()).toBe('WHEN_REQUIRED');
  });

  it('rejects other URIs with InvalidUri', () => {
    expect(() => openStore('https://example.com/x', config)).toThrow(expect.objectContaining({ code: 'InvalidUri' }));
  });
});
