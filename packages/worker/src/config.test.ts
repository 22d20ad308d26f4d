import { describe, expect, it } from 'vitest';
import { modelProcessEnv, workerEnv as parseWorkerEnv } from './config.js';

describe('the worker environment', () => {
  it('defaults to the default pool, 2 task slots and the embedded database', () => {
    expect(parseWorkerEnv({})).toEqual({
      SLUICE_POOLS: ['default'],
      SLUICE_WORKER_CONCURRENCY: 2,
      SLUICE_TASK_LEASE_SECONDS: 30,
      SLUICE_HEARTBEAT_SECONDS: 5,
      SLUICE_HOUSEKEEPING_SECONDS: 5,
      SLUICE_TELEMETRY_FLUSH_SECONDS: 2,
      SLUICE_SHARD_SIZE_MB: 256,
      SLUICE_TASK_MAX_ATTEMPTS: 3,
      SLUICE_ARTIFACT_MAX_MB: 20480,
      SLUICE_MODEL_ENV_PASSTHROUGH: [],
      SLUICE_MODEL_SANDBOX: 'auto',
      SLUICE_MODEL_UIDS: { first: 60578, last: 61183 },
      SLUICE_MODEL_READ_ONLY_PATHS: [],
    });
  });

  it('reads how command models are isolated, and refuses what would not isolate them', () => {
    expect(parseWorkerEnv({ SLUICE_MODEL_SANDBOX: 'bwrap', SLUICE_MODEL_UIDS: ' 200000 - 200999 ', SLUICE_MODEL_READ_ONLY_PATHS: '/opt/conda, /srv/models' })).toMatchObject({
      SLUICE_MODEL_SANDBOX: 'bwrap',
      SLUICE_MODEL_UIDS: { first: 200000, last: 200999 },
      SLUICE_MODEL_READ_ONLY_PATHS: ['/opt/conda', '/srv/models'],
    });
    expect(() => parseWorkerEnv({ SLUICE_MODEL_SANDBOX: 'docker' })).toThrow("SLUICE_MODEL_SANDBOX: must be 'auto', 'bwrap', 'user', 'none' or 'refuse'");
    expect(() => parseWorkerEnv({ SLUICE_MODEL_UIDS: '60000' })).toThrow('SLUICE_MODEL_UIDS: must be a range of uids such as 60578-61183, got "60000"; each uid in it must belong to no one else on the host');
    expect(() => parseWorkerEnv({ SLUICE_MODEL_UIDS: '0-100' })).toThrow('SLUICE_MODEL_UIDS: must run from a first uid (1000 or more) to a last (up to 4294967294) no smaller than it, got "0-100"');
    expect(() => parseWorkerEnv({ SLUICE_MODEL_UIDS: '65000-66000' })).toThrow('SLUICE_MODEL_UIDS: must not hold 65534 (nobody: other services run as it)');
    expect(() => parseWorkerEnv({ SLUICE_MODEL_READ_ONLY_PATHS: 'venv,/opt,/tmp/cache' })).toThrow(
      ["SLUICE_MODEL_READ_ONLY_PATHS: 'venv' is not an absolute path", "SLUICE_MODEL_READ_ONLY_PATHS: '/opt' overlaps /opt/ml/model, which the sandbox mounts itself", "SLUICE_MODEL_READ_ONLY_PATHS: '/tmp/cache' overlaps /tmp, which the sandbox mounts itself"].join('\n'),
    );
  });

  it('reads a comma-separated pool list and a concurrency', () => {
    const env = parseWorkerEnv({ SLUICE_POOLS: ' cpu, gpu.large ,', SLUICE_WORKER_CONCURRENCY: '8', DATABASE_URL: 'postgres://db/sluice' });
    expect(env).toMatchObject({ SLUICE_POOLS: ['cpu', 'gpu.large'], SLUICE_WORKER_CONCURRENCY: 8 });
  });

  it('refuses a lease too short for the heartbeat to keep', () => {
    expect(() => parseWorkerEnv({ SLUICE_TASK_LEASE_SECONDS: '5', SLUICE_HEARTBEAT_SECONDS: '5' })).toThrow(/SLUICE_TASK_LEASE_SECONDS: must be at least twice SLUICE_HEARTBEAT_SECONDS/);
  });

  it('names every bad variable and what is wrong with it', () => {
    expect(() => parseWorkerEnv({ SLUICE_POOLS: 'cpu,gpu pool', SLUICE_WORKER_CONCURRENCY: '0' })).toThrow(
      "SLUICE_POOLS: 'gpu pool' is not a pool name (letters, digits, dots, hyphens, underscores)\nSLUICE_WORKER_CONCURRENCY: must be a whole number from 1 to 256",
    );
    expect(() => parseWorkerEnv({ SLUICE_POOLS: ' , ' })).toThrow('SLUICE_POOLS: name at least one pool');
    expect(() => parseWorkerEnv({ SLUICE_WORKER_CONCURRENCY: 'two' })).toThrow('SLUICE_WORKER_CONCURRENCY: must be a whole number from 1 to 256');
  });

  it("gives a command model what a process needs and the names passed through, never the worker's credentials", () => {
    const worker = {
      PATH: '/usr/bin',
      HOME: '/home/w',
      LANG: 'C.UTF-8',
      LC_ALL: 'C.UTF-8',
      DATABASE_URL: 'postgres://u:p@db/sluice',
      SLUICE_SECRET_KEY: 'k'.repeat(40),
      AWS_SECRET_ACCESS_KEY: 'aws',
      HTTPS_PROXY: 'http://proxy:3128',
      SLUICE_MODEL_ENV_PASSTHROUGH: 'HTTPS_PROXY, CUDA_VISIBLE_DEVICES',
    };
    expect(modelProcessEnv(worker)).toEqual({ PATH: '/usr/bin', HOME: '/home/w', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', HTTPS_PROXY: 'http://proxy:3128' });
  });
});
