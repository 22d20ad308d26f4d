import { AppError } from '@sluice/contracts';
import type { Actor } from '../context.js';

/**
 * Refuses a viewer: creating, stopping, deleting... anything that changes the team's models and
 * jobs needs the member role. One message for every door (tRPC, the SageMaker API).
 */
export function requireWriteRole(actor: Actor): void {
  if (actor.role === 'viewer') {
    throw new AppError('FORBIDDEN', `viewers cannot change anything in team '${actor.team}': this needs the member or admin role (ask a team admin)`);
  }
}

/** Refuses anyone but a team admin (users, roles, the audit log). */
export function requireAdminRole(actor: Actor): void {
  if (actor.role !== 'admin') {
    throw new AppError('FORBIDDEN', `only admins of team '${actor.team}' can do this; your role there is ${actor.role} (ask a team admin)`);
  }
}
