// The quick start: real data, a real (small) model, one `sluice transform` over local files.
//
// 1. Reads the Palmer penguins from the vega-datasets npm package and writes one CSV object per
//    island: `id,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g`.
// 2. "Trains" a nearest-centroid species classifier on half of the rows and writes it as a model
//    artifact (model.json) for examples/models/penguin-centroid, a SageMaker-protocol server.
// 3. Runs `sluice transform` with SageMaker's CSV example settings: InputFilter `$[1:]` sends the
//    features without the id, JoinSource Input appends the prediction to each input row.
// 4. Scores the predictions against the true species.
//
// Everything goes under $SLUICE_HOME/demo (default ./.sluice/demo). Run again at will.
import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface Penguin {
  Species: string;
  Island: string;
  'Beak Length (mm)': number | null;
  'Beak Depth (mm)': number | null;
  'Flipper Length (mm)': number | null;
  'Body Mass (g)': number | null;
}

const FEATURES = ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)'] as const;
const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..');
const home = resolve(process.env.SLUICE_HOME ?? join(repo, '.sluice'), 'demo');
const quiet = process.argv.includes('--quiet');

async function main(): Promise<number> {
  const require = createRequire(import.meta.url);
  // The package exports only its JS entry (build/index.js); the data files sit beside it.
  const datasets = resolve(dirname(require.resolve('vega-datasets')), '..', 'data');
  const penguins = (JSON.parse(await readFile(join(datasets, 'penguins.json'), 'utf8')) as Penguin[]).filter((p) =>
    FEATURES.every((f) => typeof p[f] === 'number'),
  );

  await rm(home, { recursive: true, force: true });
  const inputDir = join(home, 'input');
  const outputDir = join(home, 'output');
  const modelDir = join(home, 'model');
  await Promise.all([mkdir(inputDir, { recursive: true }), mkdir(modelDir, { recursive: true })]);

  const truth = new Map<string, string>();
  const byIsland = new Map<string, string[]>();
  penguins.forEach((p, i) => {
    const id = `p${String(i).padStart(3, '0')}`;
    truth.set(id, p.Species);
    const rows = byIsland.get(p.Island) ?? [];
    rows.push([id, ...FEATURES.map((f) => p[f])].join(','));
    byIsland.set(p.Island, rows);
  });
  for (const [island, rows] of byIsland) await writeFile(join(inputDir, `${island.toLowerCase()}.csv`), `${rows.join('\n')}\n`);
  await writeFile(join(modelDir, 'model.json'), JSON.stringify(train(penguins.filter((_, i) => i % 2 === 0))));

  const args = [
    'transform',
    '--input', pathToFileURL(inputDir).href + '/',
    '--output', pathToFileURL(outputDir).href + '/',
    '--model-command', `node ${JSON.stringify(join(repo, 'examples/models/penguin-centroid/server.mjs'))}`,
    '--model-dir', modelDir,
    '--content-type', 'text/csv',
    '--accept', 'text/csv',
    '--split-type', 'Line',
    '--assemble-with', 'Line',
    '--input-filter', '$[1:]',
    '--join-source', 'Input',
    ...(quiet ? ['--quiet'] : []),
  ];
  console.log(`${penguins.length} penguins from vega-datasets in ${byIsland.size} objects under ${inputDir}`);
  console.log(`$ sluice ${args.map((a) => (/[\s$[\]"]/.test(a) ? `'${a}'` : a)).join(' ')}\n`);
  const code = await run(process.execPath, [join(repo, 'apps/cli/bin/sluice.js'), ...args]);
  if (code !== 0) return code;

  let right = 0;
  let total = 0;
  const sample: string[] = [];
  for (const island of byIsland.keys()) {
    const lines = (await readFile(join(outputDir, `${island.toLowerCase()}.csv.out`), 'utf8')).trimEnd().split('\n');
    for (const line of lines) {
      const fields = line.split(',');
      total++;
      if (truth.get(fields[0]!) === fields[fields.length - 1]) right++;
      if (sample.length < 3) sample.push(line);
    }
  }
  console.log(`\nfirst output rows (id, features, predicted species):\n  ${sample.join('\n  ')}`);
  console.log(`accuracy against the true species: ${right}/${total} = ${((100 * right) / total).toFixed(1)}%`);
  console.log(`outputs: ${outputDir}`);
  return total === penguins.length ? 0 : 1;
}

/** Per-feature mean and standard deviation, and each species' centroid in standardized units. */
function train(rows: Penguin[]) {
  const mean = FEATURES.map((f) => rows.reduce((s, p) => s + (p[f] as number), 0) / rows.length);
  const std = FEATURES.map((f, i) => Math.sqrt(rows.reduce((s, p) => s + ((p[f] as number) - mean[i]!) ** 2, 0) / rows.length));
  const centroids: Record<string, number[]> = {};
  for (const species of new Set(rows.map((p) => p.Species))) {
    const group = rows.filter((p) => p.Species === species);
    centroids[species] = FEATURES.map((f, i) => group.reduce((s, p) => s + ((p[f] as number) - mean[i]!) / std[i]!, 0) / group.length);
  }
  return { features: FEATURES, mean, std, centroids };
}

function run(command: string, args: string[]): Promise<number> {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, { stdio: 'inherit' });
    child.on('exit', (code, signal) => resolvePromise(code ?? (signal ? 130 : 1)));
  });
}

process.exitCode = await main();
