import { z } from 'zod';

const POOL_NAME = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,63}$/;

/**
 * SLUICE_INSTANCE_TYPE_POOLS: which pool of workers runs a job asking for an InstanceType, as a
 * JSON object (`{"ml.m5.xlarge":"cpu","ml.g4dn.xlarge":"gpu"}`). Types it does not name, and every
 * type when it is unset, run on the `default` pool. This schema is its one home.
 */
export const ZInstanceTypePoolsEnvSchema = z.object({
  SLUICE_INSTANCE_TYPE_POOLS: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (!text) return {};
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON object such as {"ml.m5.xlarge":"cpu"}' });
        return z.NEVER;
      }
    })
    .pipe(z.record(z.string(), z.string().regex(POOL_NAME, 'pool names are letters, digits, dots, hyphens or underscores'))),
});

export type InstanceTypePools = Record<string, string>;

/** SLUICE_INSTANCE_TYPE_POOLS as a part of the server's settings schema (settings.ts). */
export const ZInstanceTypePoolsSettingsSchema = ZInstanceTypePoolsEnvSchema.transform((env) => env.SLUICE_INSTANCE_TYPE_POOLS);

export function instanceTypePoolsFromEnv(env: NodeJS.ProcessEnv): InstanceTypePools {
  const parsed = ZInstanceTypePoolsEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map((issue) => `SLUICE_INSTANCE_TYPE_POOLS: ${issue.message}`).join('\n'));
  }
  return parsed.data.SLUICE_INSTANCE_TYPE_POOLS;
}

export function poolFor(pools: InstanceTypePools, instanceType: unknown): string {
  return (typeof instanceType === 'string' && pools[instanceType]) || 'default';
}
