import { describe, expect, it } from 'vitest';
import { openSecret, sealSecret, secretKeyFromEnv } from './secret-box.js';

const KEY = 'k'.repeat(32);

describe('sealing access-key secrets', () => {
  it('round-trips a secret sealed under SLUICE_SECRET_KEY without storing it readable', () => {
    const stored = sealSecret('wJalrXUtnFEMI/K7MDENG', KEY);
    expect(stored).toMatch(/^v1:/);
    expect(stored).not.toContain('wJalrXUtnFEMI');
    expect(openSecret(stored, KEY)).toBe('wJalrXUtnFEMI/K7MDENG');
  });

  it('says which setting to fix when the key is missing or another one', () => {
    const stored = sealSecret('s', KEY);
    expect(() => openSecret(stored, null)).toThrow(/set SLUICE_SECRET_KEY/);
    expect(() => openSecret(stored, 'x'.repeat(32))).toThrow(/created with another key/);
  });

  it('keeps secrets as plain text without a key, and refuses a short key', () => {
    expect(openSecret(sealSecret('s', null), null)).toBe('s');
    expect(() => secretKeyFromEnv({ SLUICE_SECRET_KEY: 'short' })).toThrow(/at least 32 characters/);
  });
});
