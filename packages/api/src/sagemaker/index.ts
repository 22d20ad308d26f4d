export { createSageMakerApi, createSageMakerHandler, SAGEMAKER_ACTIONS, SAGEMAKER_MAX_BODY_BYTES, SAGEMAKER_PATH, SAGEMAKER_WRITE_ACTIONS, type SageMakerApiOptions, type SageMakerResponse } from './protocol.js';
export { SAGEMAKER_ERROR_FOR, SageMakerError } from './errors.js';
export { instanceTypePoolsFromEnv, ZInstanceTypePoolsEnvSchema, ZInstanceTypePoolsSettingsSchema, type InstanceTypePools } from './instance-pools.js';
