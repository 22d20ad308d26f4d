// The test settings every workspace shares: tests beside the code, a JSON report that
// scripts/test-summary.mjs adds up, and, for workspaces that need PostgreSQL, one embedded server
// for the whole run (each test file copies a migrated template database from it).
import { defineConfig } from 'vitest/config';

// The workspace packages' TypeScript sources, never a dist/: the published packages export `src/`
// under this condition. Vitest passes these conditions to its workers as node --conditions too, so
// the list keeps vitest's own defaults (vite's server conditions without 'module', which would send
// Node to packages' untranspiled ESM builds).
const RESOLVE_CONDITIONS = ['@sluice/source', 'node', 'development|production'];

export function workspaceTestConfig(options: { database?: boolean | string; include?: string[]; testTimeout?: number; hookTimeout?: number; maxWorkers?: number; execArgv?: string[] } = {}) {
  return defineConfig({
    ssr: { resolve: { conditions: RESOLVE_CONDITIONS } },
    test: {
      include: options.include ?? ['src/**/*.test.ts'],
      ...(options.database ? { globalSetup: [typeof options.database === 'string' ? options.database : '@sluice/db/test-global-setup'] } : {}),
      // Sluice runs on Node 20; the AWS SDK's notice about its 2027 releases is not for test output.
      env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      testTimeout: options.testTimeout ?? 30_000,
      hookTimeout: options.hookTimeout ?? 60_000,
      ...(options.maxWorkers ? { maxWorkers: options.maxWorkers } : {}),
      ...(options.execArgv ? { execArgv: options.execArgv } : {}),
      reporters: ['default', 'json'],
      outputFile: { json: 'test-results/vitest.json' },
    },
  });
}
