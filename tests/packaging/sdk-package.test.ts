// The SDK as a user gets it: the packed tarballs of @sluice/sdk and its two sibling packages,
// installed with npm into a new project outside the repository, then the README's Transformer
// example run with plain node against a running service, and type-checked with tsc.
import { readFile, readdir, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '@sluice/test-service';
import { startModelServer, tempDir, type RunningModelServer } from '@sluice/testkit';
import { packWorkspaces, REPO, run, succeeded, userEnv, type PackedTarball } from './support.js';

/** The README's example: the TypeScript block that starts with the SDK's import. */
async function readmeExample(): Promise<string> {
  const readme = await readFile(join(REPO, 'README.md'), 'utf8');
  const block = /```ts\n(import \{ SluiceClient, Transformer \} from '@sluice\/sdk';\n[\s\S]*?)```/.exec(readme);
  if (!block) throw new Error("README.md has no ```ts block starting with import { SluiceClient, Transformer } from '@sluice/sdk'");
  return block[1]!;
}

/** The same versions the repository uses, so npm takes them from the cache `npm ci` filled. */
async function repoVersion(name: string): Promise<string> {
  return (JSON.parse(await readFile(join(REPO, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

const TSCONFIG = { compilerOptions: { strict: true, module: 'node16', moduleResolution: 'node16', target: 'ES2022', noEmit: true, skipLibCheck: false, types: ['node'] } };

let dir: { path: string; remove: () => Promise<void> };
let project: string;
let env: Record<string, string>;
let tarballs: PackedTarball[];
let service: TestService;
let model: RunningModelServer;

beforeAll(async () => {
  [dir, service, model] = await Promise.all([tempDir('sluice-sdk-package'), startTestService(), startModelServer('echo')]);
  env = userEnv(dir.path);
  project = join(dir.path, 'project');
  await mkdir(project);
  tarballs = await packWorkspaces(['@sluice/params', '@sluice/contracts', '@sluice/sdk'], dir.path, env);
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'batch-scripts', private: true, type: 'module' }));
  const tools = [`typescript@${await repoVersion('typescript')}`, `@types/node@${await repoVersion('@types/node')}`];
  succeeded(await run('npm', ['install', ...tarballs.map((t) => t.path), ...tools], { cwd: project, env, timeoutMs: 180_000 }), 'npm install');
}, 300_000);
afterAll(async () => {
  await Promise.all([service?.stop(), model?.stop()]);
  await dir?.remove();
});

describe('the packed SDK', () => {
  it('ships built JavaScript and declarations, and its licence, but no sources', async () => {
    expect(tarballs.map((t) => t.name)).toEqual(['@sluice/params', '@sluice/contracts', '@sluice/sdk']);
    for (const t of tarballs) {
      expect(t.size, t.name).toBeLessThan(64 * 1024);
      const installed = join(project, 'node_modules', t.name);
      expect((await readdir(installed)).filter((f) => f !== 'README.md').sort(), t.name).toEqual(['LICENSE', 'dist', 'package.json']);
      expect(await readdir(join(installed, 'dist')), t.name).toEqual(expect.arrayContaining(['index.js', 'index.d.ts']));
    }
  });

  it('installs with no server package: only contracts, params and the SDK from Sluice', async () => {
    expect((await readdir(join(project, 'node_modules', '@sluice'))).sort()).toEqual(['contracts', 'params', 'sdk']);
    const sdk = JSON.parse(await readFile(join(project, 'node_modules/@sluice/sdk/package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(sdk.dependencies).sort()).toEqual(['@sluice/contracts', '@sluice/params', '@trpc/client', '@trpc/server', 'superjson']);
  });

  it("runs the README's Transformer example with plain node: the job completes and writes its output", async () => {
    const input = join(dir.path, 'batch-input');
    await mkdir(input);
    await writeFile(join(input, 'scores.csv'), '1,0.5\n2,0.25\n3,0.125\n');
    const output = join(dir.path, 'batch-output');
    const example = (await readmeExample())
      .replace("'http://127.0.0.1:8080'", JSON.stringify(model.url))
      .replace("'s3://bucket/batch-input/'", JSON.stringify(`${pathToFileURL(input).href}/`))
      .replace("'s3://bucket/batch-output/'", JSON.stringify(`${pathToFileURL(output).href}/`));
    await writeFile(join(project, 'example.mjs'), `${example}\nconsole.log(JSON.stringify({ name: job.name, status: job.status }));\n`);

    const result = succeeded(await run(process.execPath, ['example.mjs'], { cwd: project, env: { ...env, SLUICE_URL: service.url } }), 'node example.mjs');
    const last = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as { name: string; status: string };
    expect(last.status).toBe('Completed');
    expect(last.name).toMatch(/^my-model-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-\d{3}$/);
    expect(await readFile(join(output, 'scores.csv.out'), 'utf8')).toBe('1,0.5\n2,0.25\n3,0.125\n');
  });

  it('loads with require() too (Node 20.19+ loads ES modules from CommonJS)', async () => {
    const result = succeeded(await run(process.execPath, ['-e', "const { Transformer, SluiceClient } = require('@sluice/sdk'); console.log(typeof Transformer, typeof SluiceClient)"], { cwd: project, env }), 'require');
    expect(result.stdout.trim()).toBe('function function');
  });

  it('type-checks the example with tsc (strict, node16), and refuses a copy with a type error', async () => {
    const example = await readmeExample();
    await writeFile(join(project, 'example.ts'), example);
    // A user's typo: MaxPayloadInMB is a number of megabytes, not a string.
    expect(example).toContain('maxPayload: 6,');
    await writeFile(join(project, 'broken.ts'), example.replace('maxPayload: 6,', "maxPayload: '6',"));
    await writeFile(join(project, 'tsconfig.json'), JSON.stringify({ ...TSCONFIG, files: ['example.ts'] }));
    // The declarations themselves (ours, zod's, tRPC's) are checked once, with the example.
    await writeFile(join(project, 'tsconfig.broken.json'), JSON.stringify({ compilerOptions: { ...TSCONFIG.compilerOptions, skipLibCheck: true }, files: ['broken.ts'] }));
    const tsc = join(project, 'node_modules/typescript/bin/tsc');
    const [good, broken] = await Promise.all([
      run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: project, env }),
      run(process.execPath, [tsc, '-p', 'tsconfig.broken.json'], { cwd: project, env }),
    ]);
    expect(good.stdout + good.stderr).toBe('');
    expect(good.code).toBe(0);
    expect(broken.code).not.toBe(0);
    expect(broken.stdout).toMatch(/broken\.ts\(\d+,\d+\): error TS2322: Type 'string' is not assignable to type 'number'/);
  });
});
