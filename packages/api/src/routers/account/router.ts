import { router } from '../../trpc.js';
import { createKeyRoute } from './create-key.js';
import { createTokenRoute } from './create-token.js';
import { listKeysRoute } from './list-keys.js';
import { listTokensRoute } from './list-tokens.js';
import { meRoute } from './me.js';
import { revokeKeyRoute } from './revoke-key.js';
import { revokeTokenRoute } from './revoke-token.js';

/** The caller's own account: open to every role, acting only on the caller's tokens and keys. */
export const accountRouter = router({
  me: meRoute,
  tokens: router({ list: listTokensRoute, create: createTokenRoute, revoke: revokeTokenRoute }),
  keys: router({ list: listKeysRoute, create: createKeyRoute, revoke: revokeKeyRoute }),
});
