// The dependency rules of docs/architecture.md as lint rules: each layer names the workspaces its
// source may import; anything else from `@sluice/*` is an error that says which rule it breaks.
// tests/layering/layering.test.ts lints a forbidden import in each layer to prove the rules bite.
//
// Source files only: a test may start a database or a worker to check a layer from outside.

/** Libraries that mean "talks to the database or the queue". */
const DATABASE_LIBRARIES = ['postgres', 'pg-boss', 'drizzle-orm', 'drizzle-orm/**'];

const TESTS = ['**/*.test.ts', '**/*.test.tsx', '**/test-support/**'];

/**
 * `workspaces`: the `@sluice/*` packages a layer may import (values and types).
 * `typesOnly`: packages it may import types from, never values (the SDK names the router's type).
 * `libraries`: npm packages it must not import.
 */
export const LAYERS = [
  {
    name: 'params',
    files: ['packages/params/src/**'],
    workspaces: [],
    why: 'params is the one contract every layer shares: it depends on zod only',
  },
  {
    name: 'engine',
    files: ['packages/engine/src/**'],
    workspaces: ['params'],
    libraries: DATABASE_LIBRARIES,
    why: 'the engine knows no database, no queue and no other layer: it takes a store, a model and an observer',
  },
  {
    name: 'contracts',
    files: ['packages/contracts/src/**'],
    workspaces: ['params'],
    libraries: DATABASE_LIBRARIES,
    why: 'contracts are shared with the SDK, the CLI and the browser: no server code',
  },
  {
    name: 'db',
    files: ['packages/db/src/**'],
    workspaces: ['params'],
    why: 'db owns the schema and the statements; the use cases above it call it',
  },
  {
    name: 'core',
    files: ['packages/core/src/**'],
    workspaces: ['params', 'contracts', 'db', 'engine'],
    why: 'the job service is called by routers and queue handlers, never the other way round',
  },
  {
    name: 'api',
    files: ['packages/api/src/**'],
    workspaces: ['params', 'contracts', 'core'],
    libraries: DATABASE_LIBRARIES,
    why: 'routers call the job service (core), never the tables, and never the worker',
  },
  {
    name: 'worker',
    files: ['packages/worker/src/**'],
    workspaces: ['params', 'contracts', 'core', 'engine', 'models'],
    libraries: DATABASE_LIBRARIES,
    why: 'queue handlers call the job service (core), never the tables, and never the api',
  },
  {
    name: 'models',
    files: ['packages/models/src/**'],
    workspaces: ['params', 'engine'],
    why: 'built-in models implement the engine\'s transport and know nothing of the service',
  },
  {
    name: 'sdk',
    files: ['packages/sdk/src/**'],
    workspaces: ['params', 'contracts'],
    typesOnly: ['api'],
    libraries: DATABASE_LIBRARIES,
    why: 'the SDK talks to the service over HTTP like any user: the router\'s type, never server code',
  },
  {
    name: 'testkit',
    files: ['packages/testkit/src/**'],
    workspaces: [],
    why: 'testkit\'s real servers import nothing from the product, so any package may test with them',
  },
  {
    name: 'cli client commands',
    files: [
      'apps/cli/src/client/**',
      'apps/cli/src/commands/jobs/**',
      'apps/cli/src/commands/models/**',
      'apps/cli/src/commands/compare*.ts',
    ],
    workspaces: ['params', 'contracts', 'sdk'],
    typesOnly: ['api'],
    libraries: DATABASE_LIBRARIES,
    // tokens, keys and users are the operator's commands on the service's host: they open the database.
    why: 'the CLI\'s client commands reach the service through the SDK, over HTTP',
  },
];

function restrictedImports(layer) {
  const open = [...layer.workspaces, ...(layer.typesOnly ?? [])];
  const message = `${layer.name} may import only ${layer.workspaces.map((w) => `@sluice/${w}`).join(', ') || 'no workspace package'}${layer.typesOnly ? ` (and types from ${layer.typesOnly.map((w) => `@sluice/${w}`).join(', ')})` : ''}: ${layer.why}.`;
  return {
    paths: (layer.typesOnly ?? []).map((w) => ({ name: `@sluice/${w}`, allowTypeImports: true, message })),
    patterns: [
      { group: ['@sluice/*', ...open.flatMap((w) => [`!@sluice/${w}`, `!@sluice/${w}/**`])], message },
      ...(layer.libraries ? [{ group: layer.libraries, message: `${layer.name} must not talk to the database or the queue: ${layer.why}.` }] : []),
    ],
  };
}

/** Tests may reach further than their layer, but the api and the worker never meet, even there. */
export const TEST_LAYERS = [
  { name: 'api tests', root: 'packages/api/src', banned: ['worker'], why: 'the api never imports the worker: an end-to-end test of both lives in tests/' },
  { name: 'worker tests', root: 'packages/worker/src', banned: ['api'], why: 'the worker never imports the api: an end-to-end test of both lives in tests/' },
];

export const layeringConfigs = [
  ...LAYERS.map((layer) => ({
    name: `sluice/layering/${layer.name}`,
    files: layer.files,
    ignores: TESTS,
    rules: { '@typescript-eslint/no-restricted-imports': ['error', restrictedImports(layer)] },
  })),
  ...TEST_LAYERS.map((layer) => ({
    name: `sluice/layering/${layer.name}`,
    files: TESTS.map((glob) => `${layer.root}/${glob}`),
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [{ group: layer.banned.flatMap((w) => [`@sluice/${w}`, `@sluice/${w}/**`]), message: `${layer.why}.` }],
      }],
    },
  })),
];
