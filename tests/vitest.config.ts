import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['service/**/*.test.ts', 'e2e/**/*.test.ts'],
    globalSetup: ['@sluice/db/test-global-setup'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // Each file starts worker processes of its own; two files at once is what 2 cores can take.
    maxWorkers: 2,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
