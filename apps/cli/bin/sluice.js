#!/usr/bin/env node
// The sluice command. In the repository it runs the TypeScript sources (tsx compiles them on load),
// so nothing needs building first; an installed package has no src/ and runs the bundle that
// `npm pack` built (scripts/bundle.mjs: the workspace packages inlined, the rest its dependencies).
import { existsSync } from 'node:fs';
import process from 'node:process';
import { URL } from 'node:url';

// Sluice supports Node 20; the AWS SDK's notice that its 2027 releases will need Node 22 is for
// whoever upgrades the pinned SDK, not for someone running a transform.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const sources = new URL('../src/main.ts', import.meta.url);
if (existsSync(sources)) {
  const { registerSources } = await import('../../../scripts/register-sources.mjs');
  await registerSources();
  await import(sources.href);
} else {
  await import('../dist/sluice.js');
}
