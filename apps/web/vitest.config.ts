import { fileURLToPath } from 'node:url';
import { workspaceTestConfig } from '../../vitest.shared.ts';

// Browser tests: one real service, one built Next app and one Chromium for the file.
const config = workspaceTestConfig({ database: true, include: ['tests/**/*.test.ts'], testTimeout: 90_000, hookTimeout: 180_000, maxWorkers: 1 });

// A page updates after a fetch and a render, not at once: wait up to 10 s for what a user would see.
// Components a test imports directly resolve `@/` as tsconfig's paths do, and compile with React's
// JSX runtime: tsconfig's `jsx: preserve` is for Next, which compiles them itself.
export default {
  ...config,
  resolve: { alias: [{ find: /^@\//, replacement: fileURLToPath(new URL('./src/', import.meta.url)) }] },
  oxc: { jsx: { runtime: 'automatic' } },
  test: { ...config.test, expect: { poll: { timeout: 10_000, interval: 100 } } },
};
