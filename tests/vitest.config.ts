import { workspaceTestConfig } from '../vitest.shared.ts';

// Each service test file starts worker processes of its own: two files at once is what 2 cores take.
export default workspaceTestConfig({ database: true, include: ['service/**/*.test.ts', 'e2e/**/*.test.ts', 'layering/**/*.test.ts'], testTimeout: 120_000, maxWorkers: 2 });
