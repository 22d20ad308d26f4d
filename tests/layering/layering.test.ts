// The dependency rules of docs/architecture.md are lint rules (eslint.layering.js). These tests
// prove each rule bites: a forbidden import linted as if it were in the layer's folder must fail
// with a message naming the layer, and each allowed import must pass. They also check that every
// package's declared dependencies agree with its layer, so a rule cannot be dodged in package.json.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { LAYERS, TEST_LAYERS } from '../../eslint.layering.js';

const repoRoot = join(import.meta.dirname, '..', '..');
const eslint = new ESLint({ cwd: repoRoot });

async function workspaceNames(): Promise<string[]> {
  const dirs = await readdir(join(repoRoot, 'packages'));
  return [...dirs.map((d) => `@sluice/${d}`), '@sluice/web', '@sluice/cli', '@sluice/worker-app'];
}

/** A file the layer's glob matches: `dir/**` → `dir/layering-probe.ts`, `compare*.ts` → `compare-probe.ts`. */
function probePath(glob: string): string {
  const file = glob.endsWith('/**') ? `${glob.slice(0, -3)}/layering-probe.ts` : glob.replace(/\*/g, '-probe');
  return join(repoRoot, file);
}

async function importErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => m.message);
}

describe('layering rules', () => {
  for (const layer of LAYERS) {
    it(`${layer.name}: refuses a workspace outside its layer and accepts the ones inside`, async () => {
      const allowed = new Set([...layer.workspaces, ...(layer.typesOnly ?? [])].map((w) => `@sluice/${w}`));
      const forbidden = (await workspaceNames()).filter((name) => !allowed.has(name) && !layer.files.some((f) => f.startsWith(`packages/${name.slice(8)}/`)));
      expect(forbidden.length).toBeGreaterThan(0);
      for (const file of layer.files) {
        const path = probePath(file);
        for (const name of forbidden) {
          const errors = await importErrors(path, `import { thing } from '${name}';\nexport const used = thing;\n`);
          expect(errors, `${name} in ${path}`).toHaveLength(1);
          expect(errors[0]).toContain(`${layer.name} may import only`);
        }
        for (const name of layer.workspaces) {
          expect(await importErrors(path, `import { thing } from '@sluice/${name}';\nexport const used = thing;\n`), `@sluice/${name} in ${path}`).toEqual([]);
        }
      }
    });

    if (layer.typesOnly) {
      it(`${layer.name}: takes types from ${layer.typesOnly.join(', ')}, never values`, async () => {
        const path = probePath(layer.files[0]!);
        for (const name of layer.typesOnly!) {
          expect(await importErrors(path, `import type { Thing } from '@sluice/${name}';\nexport type Used = Thing;\n`)).toEqual([]);
          expect(await importErrors(path, `import { thing } from '@sluice/${name}';\nexport const used = thing;\n`)).toHaveLength(1);
        }
      });
    }

    if (layer.libraries) {
      it(`${layer.name}: talks to no database or queue library`, async () => {
        const path = probePath(layer.files[0]!);
        for (const library of ['postgres', 'pg-boss', 'drizzle-orm', 'drizzle-orm/pg-core']) {
          const errors = await importErrors(path, `import { thing } from '${library}';\nexport const used = thing;\n`);
          expect(errors, library).toHaveLength(1);
          expect(errors[0]).toContain('must not talk to the database or the queue');
        }
      });
    }
  }

  for (const layer of TEST_LAYERS) {
    it(`${layer.name}: never import ${layer.banned.join(', ')}, even in a test`, async () => {
      for (const name of layer.banned) {
        const errors = await importErrors(join(repoRoot, layer.root, 'layering-probe.test.ts'), `import { thing } from '@sluice/${name}';\nexport const used = thing;\n`);
        expect(errors).toHaveLength(1);
      }
    });
  }

  it("declares in each package's dependencies only what its layer may import", async () => {
    const problems: string[] = [];
    for (const layer of LAYERS) {
      const folder = layer.files[0]!.match(/^packages\/([^/]+)\/src\//)?.[1];
      if (!folder) continue;
      const manifest = JSON.parse(await readFile(join(repoRoot, 'packages', folder, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
      const allowed = new Set([...layer.workspaces, ...(layer.typesOnly ?? [])].map((w) => `@sluice/${w}`));
      for (const name of Object.keys(manifest.dependencies ?? {})) {
        if (name.startsWith('@sluice/') && !allowed.has(name)) problems.push(`packages/${folder} depends on ${name}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
