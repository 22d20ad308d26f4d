import { z } from 'zod';
import {
  ASSEMBLE_WITH,
  BATCH_STRATEGIES,
  checkTransformRequest,
  COMPRESSION_TYPES,
  DATA_TYPES,
  ERROR_POLICY_MODES,
  JOIN_SOURCES,
  SPLIT_TYPES,
  type TransformRequest,
} from '@sluice/engine/params';

/**
 * The transform parameters (SageMaker's, camelCased, plus the error policy). zod checks types and
 * allowed values; the ranges and cross-field rules have one home, the engine's
 * `checkTransformRequest`, whose issues come back here on the field they concern.
 */
export const ZTransformParametersSchema = z
  .object({
    contentType: z.string().optional(),
    accept: z.string().optional(),
    splitType: z.enum(SPLIT_TYPES).optional(),
    compressionType: z.enum(COMPRESSION_TYPES).optional(),
    batchStrategy: z.enum(BATCH_STRATEGIES).optional(),
    maxPayloadInMB: z.number().optional(),
    maxConcurrentTransforms: z.number().optional(),
    assembleWith: z.enum(ASSEMBLE_WITH).optional(),
    dataProcessing: z
      .object({ inputFilter: z.string().optional(), outputFilter: z.string().optional(), joinSource: z.enum(JOIN_SOURCES).optional() })
      .optional(),
    modelClientConfig: z
      .object({ invocationsTimeoutInSeconds: z.number().optional(), invocationsMaxRetries: z.number().optional() })
      .optional(),
    errorPolicy: z
      .object({ mode: z.enum(ERROR_POLICY_MODES).optional(), placeholder: z.string().max(1024).optional(), maxRecordErrorRate: z.number().optional() })
      .optional(),
    kmsKeyId: z.string().optional(),
  })
  .superRefine((request, ctx) => {
    for (const issue of checkTransformRequest(request as TransformRequest)) {
      ctx.addIssue({ code: 'custom', path: fieldPath(issue.field), message: issue.message });
    }
  });

export type TTransformParameters = z.infer<typeof ZTransformParametersSchema>;

export const ZDataTypeSchema = z.enum(DATA_TYPES);

/** `DataProcessing.JoinSource` → ['dataProcessing', 'joinSource']. */
export function fieldPath(sageMakerField: string): string[] {
  return sageMakerField.split('.').map((part) => part.charAt(0).toLowerCase() + part.slice(1));
}
