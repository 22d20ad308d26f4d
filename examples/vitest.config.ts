import { workspaceTestConfig } from '../vitest.shared.ts';

// The examples' code sits in folders by concern (tabular/, data/, demo/), not under src/.
export default workspaceTestConfig({ include: ['tabular/**/*.test.ts', 'data/**/*.test.ts', 'demo/**/*.test.ts'] });
