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

/**
 * Why `relativeKey` cannot name an output below the job's output prefix, or undefined when it can.
 * An output is `<prefix>/<relativeKey>.out`: a `.` or `..` segment, a leading `/`, a backslash, an
 * encoded separator or dot (`%2F`, `%5C`, `%2E`) or a control character could make a storage layer
 * (a file path, an HTTP proxy in front of S3) resolve it somewhere else, such as another team's folder.
 */
export function relativeKeyProblem(relativeKey: string): string | undefined {
  if (relativeKey.startsWith('/')) return 'it starts with /';
  if (relativeKey.includes('\\')) return 'it holds a backslash';
  if (/%(2f|5c|2e)/i.test(relativeKey)) return 'it holds an encoded separator or dot (%2F, %5C or %2E)';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(relativeKey)) return 'it holds a control character';
  if (relativeKey.split('/').some((segment) => segment === '.' || segment === '..')) return 'it has a . or .. segment';
  return undefined;
}
