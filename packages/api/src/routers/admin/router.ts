import { router } from '../../trpc.js';
import { createUserRoute } from './create-user.js';
import { listAuditRoute } from './list-audit.js';
import { listUsersRoute } from './list-users.js';
import { removeUserRoute } from './remove-user.js';
import { setRoleRoute } from './set-role.js';

/** Team administration: admins of the caller's current team only. */
export const adminRouter = router({
  users: router({ list: listUsersRoute, create: createUserRoute, setRole: setRoleRoute, remove: removeUserRoute }),
  audit: router({ list: listAuditRoute }),
});
