import { and, asc, count, eq, isNull, ne } from 'drizzle-orm';
import { z } from 'zod';
import { AppError, ZAddMemberSchema, ZChangePasswordSchema, ZCreateUserSchema, ZMemberRefSchema, ZSetRoleSchema, ZSetUserDisabledSchema, ZSetUserPasswordSchema, type Role, type TeamMembership } from '@sluice/contracts';
import { accessKeys, apiTokens, memberships, sessions, teams, users, type UserRow } from '@sluice/db';
import type { Actor, Core, Database } from '../context.js';
import { parseInput } from '../parse-input.js';
import { isUniqueViolation } from '../pg-errors.js';
import { audit } from './audit.js';
import { sha256Hex } from './opaque-tokens.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { requireAdminRole } from './roles.js';

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

export interface MemberView {
  email: string;
  name: string | null;
  team: string;
  role: Role;
  /** Whether the user can sign in with a password (else only through OIDC). */
  hasPassword: boolean;
  memberSince: Date;
  lastSignInAt: Date | null;
}

/** The team's row; the `team` columns of every table name it. Created the first time a user joins. */
export async function ensureTeam(db: Database | Tx, name: string): Promise<void> {
  await db.insert(teams).values({ name }).onConflictDoNothing();
}

export async function findUserByEmail(core: Core, email: string): Promise<UserRow | undefined> {
  const [row] = await core.db.select().from(users).where(eq(users.email, email.trim().toLowerCase()));
  return row;
}

/** The teams a user belongs to, oldest membership first (the first is where a sign-in lands). */
export async function teamsOfUser(core: Core, userId: string): Promise<TeamMembership[]> {
  const rows = await core.db.select({ name: memberships.team, role: memberships.role }).from(memberships).where(eq(memberships.userId, userId)).orderBy(asc(memberships.createdAt), asc(memberships.team));
  return rows.map((r) => ({ name: r.name, role: r.role as Role }));
}

/** The user as an Actor in `team`, or undefined when they are not (or no longer) a member of it. */
export async function actorInTeam(core: Core, user: Pick<UserRow, 'id' | 'email'>, team: string, ip?: string | null): Promise<Actor | undefined> {
  const [row] = await core.db.select({ role: memberships.role }).from(memberships).where(and(eq(memberships.userId, user.id), eq(memberships.team, team)));
  return row ? { user: user.email, userId: user.id, team, role: row.role as Role, ip: ip ?? null } : undefined;
}

/**
 * `sluice users create`: the operator (who has the database) adds a user to a team, creating the
 * team and the user as needed. An existing user joins the team; their password stays theirs.
 */
export async function createUser(core: Core, input: unknown): Promise<MemberView> {
  const member = parseInput(ZCreateUserSchema, input);
  return addMember(core, member);
}

/** admin.users.create: a team admin adds a user (new or existing) to their team. */
export async function addTeamMember(core: Core, actor: Actor, input: unknown): Promise<MemberView> {
  requireAdminRole(actor);
  const member = parseInput(ZAddMemberSchema, input);
  const view = await addMember(core, { email: member.email, role: member.role, team: actor.team, ...(member.name !== undefined ? { name: member.name } : {}) });
  await audit(core, actor, 'user.create', view.email, { role: view.role });
  return view;
}

/**
 * `sluice users disable|enable`: the operator turns an account off (someone who left) or on again.
 * A disabled user cannot sign in (password or OIDC), and their sessions, tokens and access keys are
 * refused while it lasts; their history (jobs, audit entries) stays.
 */
export async function setUserDisabled(core: Core, input: unknown): Promise<void> {
  const { email, disabled } = parseInput(ZSetUserDisabledSchema, input);
  const updated = await core.db.transaction(async (tx) => {
    const rows = await tx.update(users).set({ disabledAt: disabled ? new Date() : null }).where(eq(users.email, email)).returning({ id: users.id });
    if (disabled && rows[0]) await tx.delete(sessions).where(eq(sessions.userId, rows[0].id));
    return rows;
  });
  if (updated.length === 0) throw new AppError('NOT_FOUND', `no user with the email ${email}`);
}

/** `sluice users set-password`: the operator (who has the database) sets or replaces a user's password. */
export async function setUserPassword(core: Core, input: unknown): Promise<EndedCredentials> {
  const { email, password } = parseInput(ZSetUserPasswordSchema, input);
  const passwordHash = await hashPassword(password);
  return core.db.transaction(async (tx) => {
    const [user] = await tx.update(users).set({ passwordHash }).where(eq(users.email, email)).returning({ id: users.id, email: users.email });
    if (!user) throw new AppError('NOT_FOUND', `no user with the email ${email}: add them first with \`sluice users create --email ${email} --team T --role R\``);
    return endCredentials(tx, user);
  });
}

/**
 * A user changes their own password: `currentPassword` must be right. Every other session of theirs
 * ends, and their API tokens and access keys are revoked, as for setUserPassword: whoever knew the
 * old password may have made some. Only a signed-in session may do it (not a token or a key).
 */
export async function changeOwnPassword(core: Core, actor: Actor, input: unknown, currentSessionToken: string | null): Promise<EndedCredentials> {
  const { currentPassword, newPassword } = parseInput(ZChangePasswordSchema, input);
  if (actor.via !== 'session' || !actor.userId) throw new AppError('FORBIDDEN', 'a password is changed signed in to the dashboard (not with an API token or an access key); an operator sets one with `sluice users set-password`');
  const [user] = await core.db.select().from(users).where(eq(users.id, actor.userId));
  if (!user?.passwordHash || !(await verifyPassword(user.passwordHash, currentPassword))) {
    throw new AppError('VALIDATION', 'currentPassword: the current password is wrong', [{ path: 'currentPassword', message: 'is wrong' }]);
  }
  const passwordHash = await hashPassword(newPassword);
  const ended = await core.db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, user.id));
    return endCredentials(tx, user, currentSessionToken);
  });
  await audit(core, actor, 'user.password', user.email, { ...ended });
  return ended;
}

/** What a new password ended: the user's sessions (but the one that changed it), API tokens and access keys. */
export interface EndedCredentials {
  sessions: number;
  tokens: number;
  keys: number;
}

async function endCredentials(tx: Tx, user: { id: string; email: string }, keepSession: string | null = null): Promise<EndedCredentials> {
  const now = new Date();
  const ended = await tx
    .delete(sessions)
    .where(keepSession ? and(eq(sessions.userId, user.id), ne(sessions.tokenHash, sha256Hex(keepSession))) : eq(sessions.userId, user.id))
    .returning({ tokenHash: sessions.tokenHash });
  const tokens = await tx.update(apiTokens).set({ revokedAt: now }).where(and(eq(apiTokens.userId, user.id), isNull(apiTokens.revokedAt))).returning({ id: apiTokens.id });
  const keys = await tx.update(accessKeys).set({ revokedAt: now }).where(and(eq(accessKeys.user, user.email), isNull(accessKeys.revokedAt))).returning({ id: accessKeys.accessKeyId });
  return { sessions: ended.length, tokens: tokens.length, keys: keys.length };
}

async function addMember(core: Core, member: z.output<typeof ZCreateUserSchema>): Promise<MemberView> {
  const passwordHash = member.password === undefined ? null : await hashPassword(member.password);
  try {
    return await core.db.transaction(async (tx) => {
      let [user] = await tx.select().from(users).where(eq(users.email, member.email));
      if (user && passwordHash) {
        throw new AppError('VALIDATION', `password: a user with the email ${member.email} already exists and keeps their own password; leave the password out to add them to team '${member.team}'`, [
          { path: 'password', message: 'this user already exists and keeps their own password' },
        ]);
      }
      if (!user) [user] = await tx.insert(users).values({ email: member.email, name: member.name ?? null, passwordHash }).returning();
      await ensureTeam(tx, member.team);
      const [membership] = await tx.insert(memberships).values({ userId: user!.id, team: member.team, role: member.role }).returning();
      return toMemberView(user!, member.team, member.role, membership!.createdAt);
    });
  } catch (error) {
    if (isUniqueViolation(error, 'memberships_user_id_team_pk')) {
      throw new AppError('ALREADY_EXISTS', `${member.email} is already a member of team '${member.team}'; change their role instead (admin.users.setRole)`);
    }
    throw error;
  }
}

/** The admin's team, by email. */
export async function listTeamMembers(core: Core, actor: Actor): Promise<MemberView[]> {
  requireAdminRole(actor);
  return membersOf(core, actor.team);
}

/** `sluice users list`: every membership, or one team's. */
export async function listUsers(core: Core, options: { team?: string } = {}): Promise<MemberView[]> {
  return membersOf(core, options.team);
}

async function membersOf(core: Core, team: string | undefined): Promise<MemberView[]> {
  const rows = await core.db
    .select({ user: users, team: memberships.team, role: memberships.role, since: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(team === undefined ? undefined : eq(memberships.team, team))
    .orderBy(asc(memberships.team), asc(users.email));
  return rows.map((r) => toMemberView(r.user, r.team, r.role as Role, r.since));
}

/** admin.users.setRole: refuses to leave the team without an admin. */
export async function setMemberRole(core: Core, actor: Actor, input: unknown): Promise<MemberView> {
  requireAdminRole(actor);
  const { email, role } = parseInput(ZSetRoleSchema, input);
  const view = await core.db.transaction(async (tx) => {
    const member = await lockMember(tx, actor.team, email);
    if (member.role === 'admin' && role !== 'admin') await requireAnotherAdmin(tx, actor.team, member.user.id, email);
    await tx.update(memberships).set({ role }).where(and(eq(memberships.userId, member.user.id), eq(memberships.team, actor.team)));
    return toMemberView(member.user, actor.team, role, member.since);
  });
  await audit(core, actor, 'user.role', email, { role });
  return view;
}

/** admin.users.remove: takes the user out of the team (their other teams keep them), with their tokens, keys and sessions there. */
export async function removeMember(core: Core, actor: Actor, input: unknown): Promise<void> {
  requireAdminRole(actor);
  const { email } = parseInput(ZMemberRefSchema, input);
  await core.db.transaction(async (tx) => {
    const member = await lockMember(tx, actor.team, email);
    if (member.role === 'admin') await requireAnotherAdmin(tx, actor.team, member.user.id, email);
    await tx.delete(memberships).where(and(eq(memberships.userId, member.user.id), eq(memberships.team, actor.team)));
    // Their way into this team goes with them: a later re-adding must not bring back old (maybe
    // leaked) tokens, keys or sessions.
    const now = new Date();
    await tx.update(apiTokens).set({ revokedAt: now }).where(and(eq(apiTokens.userId, member.user.id), eq(apiTokens.team, actor.team), isNull(apiTokens.revokedAt)));
    await tx.update(accessKeys).set({ revokedAt: now }).where(and(eq(accessKeys.user, member.user.email), eq(accessKeys.team, actor.team), isNull(accessKeys.revokedAt)));
    await tx.delete(sessions).where(and(eq(sessions.userId, member.user.id), eq(sessions.team, actor.team)));
  });
  await audit(core, actor, 'user.remove', email);
}

async function lockMember(tx: Tx, team: string, email: string) {
  // The team's row first: two admins demoting or removing each other at once would each see the
  // other still admin, and leave the team with none. Changes to one team's members take turns.
  await tx.select({ name: teams.name }).from(teams).where(eq(teams.name, team)).for('update');
  const [row] = await tx
    .select({ user: users, role: memberships.role, since: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.team, team), eq(users.email, email)))
    .for('update', { of: memberships });
  // Another team's users are not found either: the same answer whether the email exists or not.
  if (!row) throw new AppError('NOT_FOUND', `no member ${email} in team '${team}'`);
  return row;
}

async function requireAnotherAdmin(tx: Tx, team: string, userId: string, email: string): Promise<void> {
  const [row] = await tx
    .select({ n: count() })
    .from(memberships)
    .where(and(eq(memberships.team, team), eq(memberships.role, 'admin'), ne(memberships.userId, userId)));
  if ((row?.n ?? 0) === 0) throw new AppError('CONFLICT', `${email} is the last admin of team '${team}'; make another member admin first`);
}

function toMemberView(user: UserRow, team: string, role: Role, since: Date): MemberView {
  return { email: user.email, name: user.name, team, role, hasPassword: user.passwordHash !== null, memberSince: since, lastSignInAt: user.lastSignInAt };
}
