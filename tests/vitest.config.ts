import { workspaceTestConfig } from '../vitest.shared.ts';

// Each service test file starts worker processes of its own: two files at once is what 2 cores take.
// Memory bounds (compare-memory) measure what the code holds, not how much garbage V8 lets pile up
// before a scavenge: with its default young generation, Node 24 peaked the same comparison at
// +45 MiB (+63 MiB once in CI; Node 20: +22 MiB), and at +11 MiB with the semi-space fixed at 16 MB.
export default workspaceTestConfig({
  database: true,
  include: ['service/**/*.test.ts', 'e2e/**/*.test.ts', 'layering/**/*.test.ts', 'security/**/*.test.ts', 'packaging/**/*.test.ts'],
  testTimeout: 120_000,
  maxWorkers: 2,
  execArgv: ['--max-semi-space-size=16'],
});
