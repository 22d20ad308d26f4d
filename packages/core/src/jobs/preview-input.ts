import { AppError, ZPreviewInputSchema, type InputPreview } from '@sluice/contracts';
import { resolveInput } from '@sluice/engine';
import { locationIssue } from '../auth/allowed-locations.js';
import type { Actor, Core } from '../context.js';
import { parseInput, validationError } from '../parse-input.js';
import { readFirstRecords } from './read-first-records.js';

/**
 * What a job would read from `uri`: the objects' count and total size, and the first records of
 * the first object split as the job would split them. Reads are bounded (see readFirstRecords), so
 * checking a huge input is as cheap as a small one. Storage failures come back on the `uri` field.
 */
export async function previewInput(core: Core, actor: Actor, input: unknown): Promise<InputPreview> {
  const { uri, dataType, splitType, compressionType, limit } = parseInput(ZPreviewInputSchema, input);
  const outside = locationIssue(core.settings.auth, uri, 'uri', actor.team);
  if (outside) throw validationError([outside]);
  try {
    const objects = await resolveInput({ uri, dataType }, core.storage);
    // A manifest may list objects anywhere: each must be under the roots too.
    const listedOutside = objects.map((o) => locationIssue(core.settings.auth, o.uri, 'uri', actor.team)).find((i) => i !== undefined);
    if (listedOutside) throw validationError([listedOutside]);
    const first = objects[0];
    const totalBytes = objects.reduce((sum, o) => sum + o.size, 0);
    if (!first) return { objects: 0, totalBytes: 0, firstObject: null, records: [], truncated: false };
    const { records, truncated } = await readFirstRecords(first.store, first.key, first.size, { splitType, compressionType, limit });
    return { objects: objects.length, totalBytes, firstObject: { uri: first.uri, size: first.size }, records, truncated };
  } catch (error) {
    throw inputProblem(error);
  }
}

/** Storage and input errors name what to fix in the URI; anything else is ours. */
function inputProblem(error: unknown): unknown {
  if (error instanceof AppError || !(error instanceof Error)) return error;
  if (error.name === 'StorageError' || error.name === 'InputError' || error.name === 'SplitError' || (error as { code?: unknown }).code === 'Z_DATA_ERROR') {
    const message = (error as { code?: unknown }).code === 'Z_DATA_ERROR' ? `The first object is not gzip data (${error.message}); check Compression.` : error.message;
    return new AppError('VALIDATION', `uri: ${message}`, [{ path: 'uri', message }]);
  }
  return error;
}
