// #14 item 6: an S3 read used to hang for ever on a stalled body, and to fail a task on a connection
// reset mid-body. Reads now time out a silent socket and resume from the last byte received. A proxy
// between the client and the S3-protocol test server breaks real connections mid-body.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { startS3Server, type S3TestServer } from '@sluice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client } from './s3-client.js';
import { S3ObjectStore } from './s3-store.js';
import { readAll } from './test-support/stores.js';

const BUCKET = 'resume';
const SIZE = 3 * 1024 * 1024;
const body = randomBytes(SIZE);
let server: S3TestServer;

/** GETs whose bodies `fault` cuts: it says, per GET (counting from 0), how many body bytes get through and what happens then. */
type Fault = (get: number) => { after: number; then: 'reset' | 'stall' } | undefined;

async function faultyProxy(upstream: string, fault: Fault): Promise<{ url: string; gets: string[]; close(): Promise<void> }> {
  const target = new URL(upstream);
  const gets: string[] = [];
  const proxy: Server = createServer((req, res) => {
    const cut = req.method === 'GET' && !req.url?.includes('list-type') ? fault(gets.push(String(req.headers.range ?? 'all')) - 1) : undefined;
    const out = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      let passed = 0;
      answer.on('data', (chunk: Buffer) => {
        if (!cut) return void res.write(chunk);
        const room = cut.after - passed;
        if (room > 0) res.write(chunk.subarray(0, room));
        passed += chunk.length;
        if (passed >= cut.after) {
          answer.destroy();
          if (cut.then === 'reset') res.socket?.destroy();
          // 'stall': say nothing more; the client's idle timeout must notice.
        }
      });
      answer.on('end', () => res.end());
    });
    req.pipe(out);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    gets,
    close: () => new Promise((resolve) => (proxy.closeAllConnections(), proxy.close(() => resolve()))),
  };
}

beforeAll(async () => {
  server = await startS3Server();
  await server.createBucket(BUCKET);
  await createS3Client(server.config).send(new PutObjectCommand({ Bucket: BUCKET, Key: 'big.bin', Body: body }));
});
afterAll(() => server.stop());

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('an S3 read', () => {
  it('resumes after connection resets mid-body, from the byte it had reached, and returns the same bytes', async () => {
    const proxy = await faultyProxy(server.config.endpoint!, (get) => (get < 2 ? { after: 700_000 * (get + 1), then: 'reset' } : undefined));
    try {
      const store = new S3ObjectStore(createS3Client({ ...server.config, endpoint: proxy.url }), BUCKET);
      const read = await readAll(await store.read('big.bin'));
      expect(read.length).toBe(SIZE);
      expect(sha(read)).toBe(sha(body));
      // Each resume starts where the client's bytes ended (what was in flight at the reset is asked again).
      expect(proxy.gets).toHaveLength(3);
      const [, second, third] = proxy.gets.map((range) => Number(/^bytes=(\d+)-$/.exec(range)?.[1] ?? NaN));
      expect(proxy.gets[0]).toBe('all');
      expect(second).toBeGreaterThan(0);
      expect(second).toBeLessThanOrEqual(700_000);
      expect(third).toBeGreaterThan(second!);
    } finally {
      await proxy.close();
    }
  });

  it('closes a body that stalls and resumes it, instead of waiting for ever', async () => {
    const proxy = await faultyProxy(server.config.endpoint!, (get) => (get === 0 ? { after: 500_000, then: 'stall' } : undefined));
    try {
      const store = new S3ObjectStore(createS3Client({ ...server.config, endpoint: proxy.url, idleTimeoutMs: 1_000 }), BUCKET, { idleTimeoutMs: 1_000 });
      const read = await readAll(await store.read('big.bin'));
      expect(sha(read)).toBe(sha(body));
      expect(proxy.gets).toHaveLength(2);
    } finally {
      await proxy.close();
    }
  });

  it('resumes a ranged read within its range', async () => {
    const proxy = await faultyProxy(server.config.endpoint!, (get) => (get === 0 ? { after: 100_000, then: 'reset' } : undefined));
    try {
      const store = new S3ObjectStore(createS3Client({ ...server.config, endpoint: proxy.url }), BUCKET);
      const read = await readAll(await store.read('big.bin', { start: 1_000_000, end: 2_000_000 }));
      expect(sha(read)).toBe(sha(body.subarray(1_000_000, 2_000_000)));
      expect(proxy.gets[0]).toBe('bytes=1000000-1999999');
      expect(proxy.gets[1]).toMatch(/^bytes=10\d{5}-1999999$/);
      expect(proxy.gets).toHaveLength(2);
    } finally {
      await proxy.close();
    }
  });

  it('fails with a clear reason when every resume breaks too', async () => {
    const proxy = await faultyProxy(server.config.endpoint!, (get) => ({ after: get === 0 ? 500_000 : 0, then: 'reset' }));
    try {
      const store = new S3ObjectStore(createS3Client({ ...server.config, endpoint: proxy.url }), BUCKET);
      const error = await (async () => readAll(await store.read('big.bin')))().then(() => undefined, (e: unknown) => e as Error);
      expect(error?.message).toMatch(/^Reading s3:\/\/resume\/big\.bin failed at byte \d+ after 4 resumes from where it broke off: .+ Check the network to the object store \(S3_ENDPOINT\)\.$/);
    } finally {
      await proxy.close();
    }
  }, 30_000);
});
