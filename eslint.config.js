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
  // --- Settings: no process.env below the entry points (issue 12, item 4) ---------------------
  // Each process kind parses one settings schema at start-up (server: packages/api/src/settings.ts,
  // worker: packages/worker/src/settings.ts, `sluice up`: apps/cli/src/service/settings.ts) and
  // passes the values down. Library code under packages/*/src reads none; the entry points below
  // (and tests) may.
  {
    files: ['packages/*/src/**/*.ts', 'packages/*/src/**/*.tsx'],
    ignores: [
      '**/*.test.ts',
      'packages/*/src/test-support/**',
      'packages/db/src/test-database.ts',
      'packages/db/src/test-global-setup.ts',
      'packages/testkit/**',
      'packages/test-service/**',
      // sluice-model-server's command: a model container's entry point (PORT, SM_MODEL_DIR).
      'packages/models/src/cli.ts',
      // The SDK runs in its user's process: SLUICE_URL and SLUICE_TOKEN are its documented defaults.
      'packages/sdk/src/connection.ts',
    ],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read settings in the entry point and pass them down (see packages/*/src/settings.ts); library code never reads process.env.' },
      ],
    },
  },
  // --- end settings ---------------------------------------------------------------------------
  ...layeringConfigs,
);
