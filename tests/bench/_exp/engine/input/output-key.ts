import { formatStorageUri, joinKey, parseStorageUri } from '../storage/uri.js';

/**
 * The key of the output object for an input object: `<output prefix>/<relativeKey>.out`, as
 * SageMaker names it. `out` and `out/` give the same result; an empty prefix (the bucket's root)
 * gives `<relativeKey>.out`.
 */
export function outputKeyFor(outputPrefixKey: string, relativeKey: string): string {
  return joinKey(outputPrefixKey, `${relativeKey}.out`);
}

/** The same, from and to URIs: `s3://b/out` and `a/x.csv` → `s3://b/out/a/x.csv.out`. */
export function outputUriFor(outputUri: string, relativeKey: string): string {
  const location = parseStorageUri(outputUri);
  return formatStorageUri({ ...location, key: outputKeyFor(location.key, relativeKey) });
}
