import { z } from 'zod';

/** SageMaker's rule for TransformJobName and ModelName. */
export const ZResourceNameSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(63, 'must be at most 63 characters')
  .regex(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/, 'must be letters, digits and hyphens, starting and ending with a letter or digit');

/** `s3://bucket/prefix` or `file:///absolute/path`, at most 1024 characters (S3Uri). */
export const ZStorageUriSchema = z
  .string()
  .max(1024, 'must be at most 1024 characters')
  .regex(/^(s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?|file:\/\/\/.*)$/, 'must be s3://bucket/prefix or file:///absolute/path');

/** SageMaker's Environment: at most 16 entries, keys like shell variables, values up to 10,240 characters. */
export const ZEnvironmentSchema = z
  .record(
    z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]{0,1023}$/, 'keys must be letters, digits and underscores, not starting with a digit'),
    z.string().max(10240, 'values must be at most 10,240 characters'),
  )
  .refine((env) => Object.keys(env).length <= 16, 'at most 16 variables');

export const ZTagsSchema = z
  .array(z.object({ key: z.string().min(1).max(128), value: z.string().max(256) }))
  .max(50, 'at most 50 tags');
