import { SettingsError } from '@sluice/core';
import { describe, expect, it } from 'vitest';
import { modelProcessEnv } from './config.js';
import { workerOptions, workerSettings } from './settings.js';

describe("a worker's settings", () => {
  it('defaults to the embedded database, AWS S3, local sign-in, no secret key and the worker defaults', () => {
    const settings = workerSettings({ SLUICE_HOME: '/srv/sluice', PATH: '/usr/bin' });
    expect(settings.database).toEqual({ url: null, home: '/srv/sluice', serverEnv: { SLUICE_HOME: '/srv/sluice', PATH: '/usr/bin' } });
    expect(settings.storage).toEqual({});
    expect(settings.auth).toMatchObject({ mode: 'local', oidc: null, fileRoots: null });
    expect(settings.secretKey).toBeNull();
    expect(workerOptions(settings, 'postgres://db/sluice')).toEqual({
      databaseUrl: 'postgres://db/sluice',
      storage: {},
      settings: { secretKey: null, auth: settings.auth, leaseSeconds: 30, shardSizeBytes: 256 * 1024 * 1024, maxTaskAttempts: 3 },
      modelEnv: { PATH: '/usr/bin' },
      modelIsolation: { sandbox: 'auto', uids: { first: 60578, last: 61183 }, readOnlyPaths: [] },
      artifactLimits: { downloadBytes: 20 * 1024 ** 3, unpackedBytes: 80 * 1024 ** 3, files: 200_000 },
      pools: ['default'],
      concurrency: 2,
      heartbeatSeconds: 5,
      housekeepingSeconds: 5,
      flushSeconds: 2,
    });
  });

  it("parses the process's own environment, which is not a plain object", () => {
    expect(workerSettings(process.env).modelEnv).toEqual(modelProcessEnv(process.env));
  });

  it('reads every part from one environment', () => {
    const settings = workerSettings({
      DATABASE_URL: ' postgres://db/sluice ',
      S3_ENDPOINT: 'http://127.0.0.1:9000',
      SLUICE_AUTH: 'required',
      SLUICE_SECRET_KEY: 'k'.repeat(32),
      SLUICE_POOLS: 'gpu',
      SLUICE_SHARD_SIZE_MB: '64',
    });
    expect(settings.database.url).toBe('postgres://db/sluice');
    expect(settings.storage).toEqual({ endpoint: 'http://127.0.0.1:9000', region: 'us-east-1' });
    expect(settings.auth.mode).toBe('required');
    expect(settings.secretKey).toBe('k'.repeat(32));
    expect(workerOptions(settings, 'postgres://db/sluice')).toMatchObject({ pools: ['gpu'], settings: { shardSizeBytes: 64 * 1024 * 1024 } });
  });

  it('names every bad variable of every part at once', () => {
    const parse = () => workerSettings({ S3_ENDPOINT: 'minio:9000', SLUICE_AUTH: 'open', SLUICE_SECRET_KEY: 'short', SLUICE_WORKER_CONCURRENCY: '0' });
    expect(parse).toThrow(SettingsError);
    expect(parse).toThrow(
      [
        'S3_ENDPOINT: must be an http(s) URL such as http://127.0.0.1:9000, got "minio:9000".',
        "SLUICE_AUTH: must be 'local' or 'required'",
        'SLUICE_SECRET_KEY: must be at least 32 characters (try: openssl rand -base64 32)',
        'SLUICE_WORKER_CONCURRENCY: must be a whole number from 1 to 256',
      ].join('\n'),
    );
  });

  it('refuses a lease too short for the heartbeat to keep', () => {
    expect(() => workerSettings({ SLUICE_TASK_LEASE_SECONDS: '5' })).toThrow('SLUICE_TASK_LEASE_SECONDS: must be at least twice SLUICE_HEARTBEAT_SECONDS, or live workers lose their tasks');
  });

  it("gives command models exactly what modelProcessEnv keeps of the worker's environment", () => {
    const env = { PATH: '/usr/bin', LC_ALL: 'C.UTF-8', DATABASE_URL: 'postgres://u:p@db/sluice', SLUICE_SECRET_KEY: 'k'.repeat(40), HTTPS_PROXY: 'http://proxy:3128', SLUICE_MODEL_ENV_PASSTHROUGH: 'HTTPS_PROXY' };
    expect(workerSettings(env).modelEnv).toEqual(modelProcessEnv(env));
    expect(workerSettings(env).modelEnv).toEqual({ PATH: '/usr/bin', LC_ALL: 'C.UTF-8', HTTPS_PROXY: 'http://proxy:3128' });
  });
});
