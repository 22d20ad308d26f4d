import { describe, expect, it } from 'vitest';
import { ZAddMemberSchema, ZCreateApiTokenSchema, ZCreateUserSchema, ZListAuditSchema, ZSignInSchema } from './auth.js';

const issuesOf = (result: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }) =>
  result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];

describe('auth requests', () => {
  it('compares emails lower-cased and trimmed', () => {
    expect(ZSignInSchema.parse({ email: ' Ada@Example.COM ', password: 'x' }).email).toBe('ada@example.com');
    expect(issuesOf(ZSignInSchema.safeParse({ email: 'ada', password: '' }))).toEqual(['email: must be an email address, e.g. ada@example.com', 'password: must not be empty']);
  });

  it('lets the operator set a password but never a team admin', () => {
    expect(ZCreateUserSchema.parse({ email: 'ada@example.com', team: 'ml', role: 'member', password: 'long enough pw' }).password).toBe('long enough pw');
    expect(issuesOf(ZCreateUserSchema.safeParse({ email: 'ada@example.com', team: 'ml', role: 'owner', password: 'short' }))).toEqual([
      'role: must be admin, member or viewer',
      'password: must be at least 10 characters',
    ]);
    expect(issuesOf(ZAddMemberSchema.safeParse({ email: 'ada@example.com', role: 'member', password: 'long enough pw' }))[0]).toMatch(/^password: a team admin cannot set a user's password/);
  });

  it('names a token `token` unless told, and keeps expiry within ten years', () => {
    expect(ZCreateApiTokenSchema.parse({})).toEqual({ name: 'token' });
    expect(issuesOf(ZCreateApiTokenSchema.safeParse({ expiresInDays: 3651 }))).toEqual(['expiresInDays: must be at most 3650']);
  });

  it('accepts only the audit actions the log records', () => {
    expect(ZListAuditSchema.parse({ action: 'token.create' })).toEqual({ limit: 50, action: 'token.create' });
    expect(issuesOf(ZListAuditSchema.safeParse({ action: 'token.steal' }))[0]).toMatch(/^action: must be one of sign-in, /);
  });
});
