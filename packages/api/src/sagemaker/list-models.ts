import { z } from 'zod';
import { AppError } from '@sluice/contracts';
import { listModels, parseInput } from '@sluice/core';
import type { SageMakerAction } from './action.js';
import { epochSeconds, modelArn } from './shapes.js';

const ZListModelsSchema = z.object({
  NameContains: z.string().max(63).optional(),
  CreationTimeAfter: z.number().optional(),
  CreationTimeBefore: z.number().optional(),
  SortBy: z.enum(['Name', 'CreationTime']).default('CreationTime'),
  SortOrder: z.enum(['Ascending', 'Descending']).default('Descending'),
  MaxResults: z.number().int().min(1).max(100).default(10),
  NextToken: z.string().max(8192).optional(),
});

/**
 * The job service lists a team's models whole (teams have tens, not millions): the filters, the
 * order and the pages are applied here. NextToken is the offset of the next page.
 */
export const ListModels: SageMakerAction = async ({ core, actor }, request) => {
  const query = parseInput(ZListModelsSchema, request);
  const offset = query.NextToken === undefined ? 0 : decodeOffset(query.NextToken);
  const needle = query.NameContains?.toLowerCase();
  const models = (await listModels(core, actor))
    .filter((m) => !needle || m.name.toLowerCase().includes(needle))
    .filter((m) => query.CreationTimeAfter === undefined || m.createdAt.getTime() / 1000 > query.CreationTimeAfter)
    .filter((m) => query.CreationTimeBefore === undefined || m.createdAt.getTime() / 1000 < query.CreationTimeBefore)
    .sort((a, b) => (query.SortBy === 'Name' ? a.name.localeCompare(b.name) : a.createdAt.getTime() - b.createdAt.getTime()) * (query.SortOrder === 'Ascending' ? 1 : -1));
  const page = models.slice(offset, offset + query.MaxResults);
  const next = offset + page.length;
  return {
    Models: page.map((m) => ({ ModelName: m.name, ModelArn: modelArn(m, core.settings), CreationTime: epochSeconds(m.createdAt) })),
    ...(next < models.length ? { NextToken: Buffer.from(String(next)).toString('base64url') } : {}),
  };
};

function decodeOffset(token: string): number {
  const offset = Number(Buffer.from(token, 'base64url').toString());
  if (!Number.isInteger(offset) || offset < 0) throw new AppError('VALIDATION', 'NextToken: not a token from a previous ListModels response', [{ path: 'NextToken', message: 'not a token from ListModels' }]);
  return offset;
}
