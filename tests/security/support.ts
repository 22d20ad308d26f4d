// What the adversarial tests share: raw HTTP requests with the headers an attacker chooses, sent
// from an address of this machine that is not loopback (as another machine's would arrive).
import { request } from 'node:http';
import { networkInterfaces } from 'node:os';

/**
 * An IPv4 address of this machine outside 127.0.0.0/8: a request sent to it arrives from it, so the
 * server sees a peer that is not loopback, as it would see another machine. The tests need one.
 */
export function otherAddressOfThisMachine(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) if (address.family === 'IPv4' && !address.internal) return address.address;
  }
  throw new Error('this machine has no IPv4 address besides loopback: the local-mode tests need one to play another machine (add one, e.g. `ip link add sluice0 type dummy && ip addr add 198.51.100.7/32 dev sluice0 && ip link set sluice0 up`)');
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request with exactly these headers (Host included) to `address:port`. */
export function rawRequest(address: string, port: number, options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: address, port, method: options.method ?? 'GET', path: options.path, headers: options.headers ?? {}, setHost: !options.headers?.host }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The port of a `http://host:port` URL. */
export const portOf = (url: string) => Number(new URL(url).port);
