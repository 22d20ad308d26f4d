import { z } from 'zod';

/**
 * One schema over a whole environment, made of parts that each read their own variables (the
 * database's, the object store's, sign-in's...). Every part sees the whole environment; the
 * result holds each part's settings under its key, and a bad value anywhere is an issue whose
 * path names the part, then the variable.
 */
export function envSchema<Parts extends Record<string, z.ZodType>>(parts: Parts) {
  return z.preprocess((env) => {
    // process.env is not a plain object (zod's records refuse it): each part gets a plain copy.
    const plain: Record<string, unknown> = { ...(env ?? {}) };
    return Object.fromEntries(Object.keys(parts).map((key) => [key, plain]));
  }, z.object(parts));
}

/** A bad setting: its message has a line per problem, each naming the variable and the rule. */
export class SettingsError extends Error {
  override readonly name = 'SettingsError';
}

/**
 * Parses an environment with a process's settings schema, once, at start-up. Throws a
 * SettingsError naming every bad variable and what is wrong with it.
 */
export function parseSettings<Schema extends z.ZodType>(schema: Schema, env: NodeJS.ProcessEnv): z.output<Schema> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new SettingsError(parsed.error.issues.map((issue) => `${String(issue.path[1] ?? issue.path[0] ?? 'environment')}: ${issue.message}`).join('\n'));
  }
  return parsed.data;
}
