// Runs the workspace's TypeScript sources in this process with no build: tsx compiles them on load,
// and the resolve hook below adds the `@sluice/source` export condition, under which the published
// packages (@sluice/params, @sluice/contracts, @sluice/sdk) export `src/index.ts` instead of the
// `dist/` their consumers get. `node --conditions=@sluice/source` does the same for a whole process;
// the bins (sluice, sluice-worker, sluice-model-server) cannot pass a flag to the node that runs
// them, so they call registerSources() first.
import { register } from 'node:module';

export const SOURCE_CONDITION = '@sluice/source';

/** A module.register resolve hook: every import in the process also matches SOURCE_CONDITION. */
export async function resolve(specifier, context, nextResolve) {
  return context.conditions.includes(SOURCE_CONDITION) ? nextResolve(specifier, context) : nextResolve(specifier, { ...context, conditions: [...context.conditions, SOURCE_CONDITION] });
}

/** Registers tsx and the source condition: imports made after this load the workspace's sources. */
export async function registerSources() {
  register(import.meta.url);
  const { register: registerTsx } = await import('tsx/esm/api');
  registerTsx();
}
