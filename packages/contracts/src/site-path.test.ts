import { describe, expect, it } from 'vitest';
import { sameSitePath } from './site-path.js';

describe('sameSitePath', () => {
  it('keeps paths of this site, with their query and fragment', () => {
    for (const path of ['/', '/jobs', '/jobs/a-1?status=Failed#logs', '/comparisons/x%2Fy']) expect(sameSitePath(path)).toBe(path);
  });

  it('refuses anything a browser would take to another site', () => {
    // A tab or newline is dropped by browsers: '/\t/evil.example' would become '//evil.example'.
    for (const next of ['//evil.example', '/\\evil.example', '/\t/evil.example', '/\n/evil.example', '/\r/evil.example', 'https://evil.example/', 'evil.example', 'javascript:alert(1)', '', null, undefined]) {
      expect(sameSitePath(next), JSON.stringify(next)).toBeUndefined();
    }
  });
});
