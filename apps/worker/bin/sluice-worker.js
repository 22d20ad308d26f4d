#!/usr/bin/env node
// A Sluice worker process, run from the workspace's TypeScript sources (tsx compiles them on load).
import { registerSources } from '../../../scripts/register-sources.mjs';

// Sluice supports Node 20; the AWS SDK's notice that its 2027 releases need Node 22 is for
// whoever upgrades the pinned SDK, not for someone running a worker.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

await registerSources();
await import('../src/main.ts');
