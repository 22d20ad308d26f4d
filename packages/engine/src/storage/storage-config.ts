/**
 * How to reach S3. Unset fields fall back to the AWS SDK's own chain (AWS_REGION, AWS_PROFILE,
 * ~/.aws/config, instance roles), so AWS needs no Sluice-specific settings. `file://` needs none.
 */
export interface StorageConfig {
  /** An S3-compatible endpoint (S3_ENDPOINT), e.g. `http://127.0.0.1:9000`. Unset: AWS S3. */
  endpoint?: string;
  /** AWS_REGION; 'us-east-1' when only an endpoint is given (S3-compatible stores ignore it). */
  region?: string;
  /** Static credentials, mostly for tests; unset: the SDK's default credential chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Path-style URLs (`endpoint/bucket/key`). Default: on with an endpoint, off for AWS. */
  forcePathStyle?: boolean;
  /** How long a socket to the store may stay silent before it is closed (and a read resumed). Default 60 s. */
  idleTimeoutMs?: number;
}

/** Region given to S3-compatible stores when none is set: they need one to sign, but ignore it. */
export const DEFAULT_ENDPOINT_REGION = 'us-east-1';

/**
 * Reads S3_ENDPOINT, AWS_REGION and S3_FORCE_PATH_STYLE from the environment an entry point
 * passes in (this is their one home; the README's configuration table lists them); throws naming
 * the variable when one is malformed.
 */
export function storageConfigFromEnv(env: NodeJS.ProcessEnv): StorageConfig {
  const config: StorageConfig = {};
  const endpoint = env.S3_ENDPOINT?.trim();
  if (endpoint) {
    if (!URL.canParse(endpoint) || !/^https?:$/.test(new URL(endpoint).protocol)) {
      throw new Error(`S3_ENDPOINT must be an http(s) URL such as http://127.0.0.1:9000, got "${endpoint}".`);
    }
    config.endpoint = endpoint;
  }
  const region = env.AWS_REGION?.trim() || (endpoint ? DEFAULT_ENDPOINT_REGION : undefined);
  if (region) config.region = region;
  const pathStyle = env.S3_FORCE_PATH_STYLE?.trim().toLowerCase();
  if (pathStyle) {
    if (!['true', '1', 'false', '0'].includes(pathStyle)) {
      throw new Error(`S3_FORCE_PATH_STYLE must be "true" or "false", got "${env.S3_FORCE_PATH_STYLE}".`);
    }
    config.forcePathStyle = pathStyle === 'true' || pathStyle === '1';
  }
  return config;
}
