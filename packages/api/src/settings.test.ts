import { SettingsError } from '@sluice/core';
import { describe, expect, it } from 'vitest';
import { serverSettings } from './settings.js';

describe("an API server's settings", () => {
  it('defaults to the embedded database, local sign-in and every InstanceType on the default pool', () => {
    const settings = serverSettings({ SLUICE_HOME: '/srv/sluice' });
    expect(settings).toMatchObject({ database: { url: null, home: '/srv/sluice' }, storage: {}, secretKey: null, instanceTypePools: {} });
    expect(settings.auth).toMatchObject({ mode: 'local', oidc: null, publicUrl: null });
  });

  it('reads the InstanceType → pool map and the sign-in settings', () => {
    const settings = serverSettings({ SLUICE_INSTANCE_TYPE_POOLS: '{"ml.g4dn.xlarge":"gpu"}', SLUICE_AUTH: 'required', SLUICE_PUBLIC_URL: 'https://sluice.example.com/' });
    expect(settings.instanceTypePools).toEqual({ 'ml.g4dn.xlarge': 'gpu' });
    expect(settings.auth).toMatchObject({ mode: 'required', publicUrl: 'https://sluice.example.com' });
  });

  it('names the variable of a bad value', () => {
    expect(() => serverSettings({ SLUICE_INSTANCE_TYPE_POOLS: 'gpu' })).toThrow(new SettingsError('SLUICE_INSTANCE_TYPE_POOLS: must be a JSON object such as {"ml.m5.xlarge":"cpu"}'));
    expect(() => serverSettings({ SLUICE_OIDC_CLIENT_ID: 'sluice' })).toThrow('SLUICE_OIDC_ISSUER: is needed for OIDC sign-in');
    expect(() => serverSettings({ S3_FORCE_PATH_STYLE: 'yes' })).toThrow('S3_FORCE_PATH_STYLE: must be "true" or "false", got "yes".');
  });
});
