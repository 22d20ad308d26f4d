// The Palmer penguins from the vega-datasets npm package: the real dataset the demo's tabular
// model is trained on and scored against.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

/** The classes in the order of the model's outputs (and of its `labels` metadata). */
export const SPECIES = ['Adelie', 'Chinstrap', 'Gentoo'] as const;
export type Species = (typeof SPECIES)[number];

/** The features in the order of the model's input columns, with the dataset's own field names. */
export const FEATURES = ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)'] as const;
/** The same columns as the demo's CSV objects name them (bill, as Palmer's data calls the beak). */
export const FEATURE_COLUMNS = ['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g'] as const;

export interface Penguin {
  /** `p000`...: the row's index in the dataset once rows with missing features are dropped. */
  id: string;
  species: Species;
  island: string;
  /** The four FEATURES, in order. */
  features: [number, number, number, number];
}

type RawPenguin = Record<(typeof FEATURES)[number], number | null> & { Species: string; Island: string };

/** Where vega-datasets keeps its data files: the package exports only build/index.js, the data sits beside build/. */
export function vegaDatasetsDir(): string {
  const require = createRequire(import.meta.url);
  return resolve(dirname(require.resolve('vega-datasets')), '..', 'data');
}

/** Every penguin with all four features measured (342 of the dataset's 344 rows), in the dataset's order. */
export async function loadPenguins(): Promise<Penguin[]> {
  const file = join(vegaDatasetsDir(), 'penguins.json');
  const raw = JSON.parse(await readFile(file, 'utf8')) as RawPenguin[];
  const penguins: Penguin[] = [];
  for (const row of raw) {
    if (!FEATURES.every((f) => typeof row[f] === 'number')) continue;
    if (!(SPECIES as readonly string[]).includes(row.Species)) throw new Error(`${file}: unknown species '${row.Species}' (expected one of ${SPECIES.join(', ')})`);
    penguins.push({
      id: `p${String(penguins.length).padStart(3, '0')}`,
      species: row.Species as Species,
      island: row.Island,
      features: FEATURES.map((f) => row[f] as number) as Penguin['features'],
    });
  }
  return penguins;
}

/**
 * The fixed split: every third penguin is held out for scoring, the rest train the model. The
 * dataset is ordered by species and island, so each class is split in the same proportion, and
 * the split needs no randomness to be the same on every machine.
 */
export function splitPenguins(penguins: readonly Penguin[]): { train: Penguin[]; heldOut: Penguin[] } {
  return {
    train: penguins.filter((_, i) => i % 3 !== 2),
    heldOut: penguins.filter((_, i) => i % 3 === 2),
  };
}
