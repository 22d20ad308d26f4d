// The transform parameters are @sluice/params' contract; the API's schemas take them from there
// under the names the API's other schemas use.
import { z } from 'zod';
import { DATA_TYPES, ZTransformRequestSchema, type TransformRequest } from '@sluice/params';

export { fieldPath } from '@sluice/params';

/** The transform parameters (SageMaker's, camelCased, plus the error policy), with SageMaker's limits and rules. */
export const ZTransformParametersSchema = ZTransformRequestSchema;
export type TTransformParameters = TransformRequest;

export const ZDataTypeSchema = z.enum(DATA_TYPES);
