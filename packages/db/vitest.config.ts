import { workspaceTestConfig } from '../../vitest.shared.ts';

export default workspaceTestConfig({ database: './src/test-global-setup.ts', testTimeout: 60_000 });
