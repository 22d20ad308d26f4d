import { and, desc, eq, lt, or, type SQL } from 'drizzle-orm';
import { AppError, ZListAuditSchema, type AuditAction, type Page } from '@sluice/contracts';
import { auditLog } from '@sluice/db';
import type { Actor, Core } from '../context.js';
import { parseInput } from '../parse-input.js';
import { requireAdminRole } from './roles.js';

/** Who did it: an Actor, or for a failed sign-in the email tried, with no team. */
export interface AuditActor {
  user: string;
  team: string | null;
  ip?: string | null;
}

/**
 * Records what someone did. `fields` describe the action (a token's name and prefix, a job's
 * model): never a credential. Callers pass only the fields they chose, never a request as a whole.
 */
export async function audit(core: Core, actor: AuditActor, action: AuditAction, target: string | null, fields?: Record<string, unknown>): Promise<void> {
  await core.db.insert(auditLog).values({ team: actor.team, actor: actor.user, action, target, fields: fields ?? null, ip: actor.ip ?? null });
}

export interface AuditEntry {
  id: number;
  time: Date;
  actor: string;
  action: string;
  target: string | null;
  fields: Record<string, unknown> | null;
  ip: string | null;
}

/** The team's audit log, newest first, a page at a time (team admins only). */
export async function listAudit(core: Core, actor: Actor, input: unknown): Promise<Page<AuditEntry>> {
  requireAdminRole(actor);
  const query = parseInput(ZListAuditSchema, input ?? {});
  const where: SQL[] = [eq(auditLog.team, actor.team)];
  if (query.action) where.push(eq(auditLog.action, query.action));
  if (query.actor) where.push(eq(auditLog.actor, query.actor));
  if (query.cursor) {
    const [time, id] = decodeCursor(query.cursor);
    where.push(or(lt(auditLog.time, time), and(eq(auditLog.time, time), lt(auditLog.id, id)))!);
  }
  const rows = await core.db
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.time), desc(auditLog.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({ id: r.id, time: r.time, actor: r.actor, action: r.action, target: r.target, fields: r.fields, ip: r.ip })),
    nextCursor: rows.length > query.limit && last ? Buffer.from(JSON.stringify([last.time.toISOString(), last.id])).toString('base64url') : null,
  };
}

function decodeCursor(cursor: string): [Date, number] {
  try {
    const [time, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [string, number];
    if (typeof time !== 'string' || typeof id !== 'number') throw new Error('shape');
    return [new Date(time), id];
  } catch {
    throw new AppError('VALIDATION', 'cursor: not a cursor from the audit log (pass the nextCursor of the previous page)', [{ path: 'cursor', message: 'not a cursor from the audit log' }]);
  }
}
