// The requests of sign-in, accounts, tokens, access keys and team administration. The job service
// parses them (packages/core/src/auth); tRPC, the CLI and the dashboard share their types.
import { z } from 'zod';
import { ZResourceNameSchema } from './names.js';

/** A member's role in a team: admins administer it, members run work, viewers only look. */
export const ROLES = ['admin', 'member', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const ZRoleSchema = z.enum(ROLES, { error: 'must be admin, member or viewer' });

/** Emails are compared lower-cased and stored that way. */
export const ZEmailSchema = z.string().trim().toLowerCase().max(320, 'must be at most 320 characters').pipe(z.email({ error: 'must be an email address, e.g. ada@example.com' }));

/** A team's name: what the `team` columns hold; the same rule as model and job names. */
export const ZTeamNameSchema = ZResourceNameSchema;

/** Long enough to resist guessing within the sign-in rate limit; no composition rules (NIST 800-63B). */
export const ZPasswordSchema = z.string().min(10, 'must be at least 10 characters').max(1024, 'must be at most 1024 characters');

export const ZSignInSchema = z.object({
  email: ZEmailSchema,
  password: z.string().min(1, 'must not be empty').max(1024, 'must be at most 1024 characters'),
});
export type TSignIn = z.input<typeof ZSignInSchema>;

// ---- Team members -------------------------------------------------------------------------

export interface TeamMembership {
  name: string;
  role: Role;
}

/** Who is signed in, where, as what (account.me, and the heart of GET /api/auth/session). */
export interface AccountView {
  user: { email: string; name: string | null };
  team: string;
  role: Role;
  /** Every team the user may switch to, with their role there. */
  teams: TeamMembership[];
}

const ADMIN_PASSWORD_REFUSAL =
  "a team admin cannot set a user's password (the account is shared by every team it joins): the operator sets it with `sluice users set-password --email E --password-stdin`, or the user signs in through the identity provider";

const memberFields = {
  email: ZEmailSchema,
  name: z.string().trim().min(1).max(200).optional(),
  role: ZRoleSchema,
  /** Optional: users who sign in only through OIDC have none. */
  password: ZPasswordSchema.optional(),
};

/**
 * admin.users.create: a user in the admin's own team, without a password. A user is one account
 * across teams: a password a team admin chose would let that admin sign in as the user and act in
 * every other team the user joins later. Passwords are set by the operator (`sluice users create
 * --password-stdin`, `sluice users set-password`); everyone else signs in through OIDC.
 */
export const ZAddMemberSchema = z.object({ email: memberFields.email, name: memberFields.name, role: memberFields.role, password: z.never({ error: ADMIN_PASSWORD_REFUSAL }).optional() });
export type TAddMember = z.input<typeof ZAddMemberSchema>;

/** `sluice users create`: the operator names the team (created if needed). */
export const ZCreateUserSchema = z.object({ ...memberFields, team: ZTeamNameSchema });
export type TCreateUser = z.input<typeof ZCreateUserSchema>;

export const ZSetRoleSchema = z.object({ email: ZEmailSchema, role: ZRoleSchema });
export type TSetRole = z.input<typeof ZSetRoleSchema>;

export const ZMemberRefSchema = z.object({ email: ZEmailSchema });
export type TMemberRef = z.input<typeof ZMemberRefSchema>;

/** `sluice users disable|enable`. */
export const ZSetUserDisabledSchema = z.object({ email: ZEmailSchema, disabled: z.boolean() });
export type TSetUserDisabled = z.input<typeof ZSetUserDisabledSchema>;

/** `sluice users set-password`: the operator's door; team admins have none. */
export const ZSetUserPasswordSchema = z.object({ email: ZEmailSchema, password: ZPasswordSchema });
export type TSetUserPassword = z.input<typeof ZSetUserPasswordSchema>;

/** A signed-in user's own password change: the current one proves it is them. */
export const ZChangePasswordSchema = z.object({ currentPassword: z.string().min(1, 'is required').max(1024), newPassword: ZPasswordSchema });
export type TChangePassword = z.input<typeof ZChangePasswordSchema>;

// ---- Personal API tokens ------------------------------------------------------------------

export const ZCreateApiTokenSchema = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters').default('token'),
  /** Unset: the token lasts until revoked. */
  expiresInDays: z.number().int().min(1, 'must be at least 1').max(3650, 'must be at most 3650').optional(),
});
export type TCreateApiToken = z.input<typeof ZCreateApiTokenSchema>;

export const ZApiTokenRefSchema = z.object({ id: z.uuid({ error: 'must be a token id (as tokens list shows it)' }) });
export type TApiTokenRef = z.input<typeof ZApiTokenRefSchema>;

/** A token as lists show it: never the token itself, which only its creator saw, once. */
export interface ApiTokenView {
  id: string;
  name: string;
  prefix: string;
  team: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

/** A token just created: `token` is shown this once and stored only as its SHA-256. */
export interface NewApiToken {
  id: string;
  name: string;
  token: string;
  prefix: string;
  team: string;
  createdAt: Date;
  expiresAt: Date | null;
}

/** `sluice tokens create`: the operator names the user (and the team, when they have several). */
export const ZCreateApiTokenForUserSchema = ZCreateApiTokenSchema.extend({ email: ZEmailSchema, team: ZTeamNameSchema.optional() });
export type TCreateApiTokenForUser = z.input<typeof ZCreateApiTokenForUserSchema>;

// ---- Access keys (SigV4) ------------------------------------------------------------------

export const ZAccessKeyRefSchema = z.object({ accessKeyId: z.string().regex(/^[A-Z0-9]{20}$/, 'must be an access key id (20 letters and digits, as keys list shows it)') });
export type TAccessKeyRef = z.input<typeof ZAccessKeyRefSchema>;

/** `sluice keys create --email E [--team T]`. */
export const ZCreateAccessKeyForUserSchema = z.object({ email: ZEmailSchema, team: ZTeamNameSchema.optional() });
export type TCreateAccessKeyForUser = z.input<typeof ZCreateAccessKeyForUserSchema>;

// ---- The audit log ------------------------------------------------------------------------

/** Every action the audit log records. */
export const AUDIT_ACTIONS = [
  'sign-in',
  'sign-in-failed',
  'sign-out',
  'token.create',
  'token.revoke',
  'key.create',
  'key.revoke',
  'user.create',
  'user.role',
  'user.remove',
  'user.password',
  'job.create',
  'job.stop',
  'model.create',
  'model.delete',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const ZListAuditSchema = z.object({
  limit: z.number().int().min(1).max(200).default(50),
  /** The previous page's nextCursor. */
  cursor: z.string().optional(),
  action: z.enum(AUDIT_ACTIONS, { error: `must be one of ${AUDIT_ACTIONS.join(', ')}` }).optional(),
  /** An email, or `local`. */
  actor: z.string().trim().toLowerCase().min(1).max(320).optional(),
});
export type TListAudit = z.input<typeof ZListAuditSchema>;
