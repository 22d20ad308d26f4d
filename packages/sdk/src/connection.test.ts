import { describe, expect, it } from 'vitest';
import { bearerToken, connectionFromEnv, DEFAULT_SLUICE_URL, serviceBaseUrl } from './connection.js';

describe('service connection', () => {
  it('reads SLUICE_URL and SLUICE_TOKEN as they are set', () => {
    expect(connectionFromEnv({ SLUICE_URL: 'http://sluice:3000/', SLUICE_TOKEN: ' slt_x ' })).toEqual({ url: 'http://sluice:3000/', token: ' slt_x ' });
    expect(connectionFromEnv({})).toEqual({ url: undefined, token: undefined });
  });

  it('takes what `sluice up` listens on when no URL is given, and drops trailing slashes', () => {
    expect(serviceBaseUrl(undefined)).toBe(DEFAULT_SLUICE_URL);
    expect(serviceBaseUrl('  ')).toBe(DEFAULT_SLUICE_URL);
    expect(serviceBaseUrl(' https://sluice.example.com/base// ')).toBe('https://sluice.example.com/base');
  });

  it('refuses a URL that is not http(s)', () => {
    expect(serviceBaseUrl('localhost:3000')).toBeUndefined();
    expect(serviceBaseUrl('ftp://sluice')).toBeUndefined();
  });

  it('sends no token when it is blank', () => {
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken('  ')).toBeUndefined();
    expect(bearerToken(' slt_x ')).toBe('slt_x');
  });
});
