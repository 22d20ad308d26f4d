// One lint configuration for every workspace: the recommended JS and TypeScript rules, plus the
// few that guard the engine's habits (no floating promises would need type info; kept light),
// plus the dependency rules of docs/architecture.md, checked here rather than by reading.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { layeringConfigs } from './eslint.layering.js';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.sluice/**', '**/test-results/**', '**/.next/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  ...layeringConfigs,
);
