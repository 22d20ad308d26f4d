import { fileURLToPath, pathToFileURL } from 'node:url';
import { StorageError } from './object-store.js';

/** Where a storage URI points: a store (scheme + bucket) and a key or key prefix inside it. */
export interface StorageLocation {
  scheme: 's3' | 'file';
  /** The S3 bucket; '' for `file://`. */
  bucket: string;
  /** Key or key prefix. For files: the absolute path without its leading '/'. */
  key: string;
}

const EXPECTED = 'expected s3://bucket/prefix or file:///absolute/path';

// Permissive on purpose: legacy AWS buckets and S3-compatible stores allow upper case and '_'.
// What we refuse are names that cannot be a bucket at all (empty, spaces, '?', '#', ':'...).
const BUCKET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Parses `s3://bucket/key` or `file:///absolute/path`. S3 keys are taken literally (as the AWS CLI
 * does); file URIs are percent-decoded. A trailing '/' is kept: it is part of a prefix's meaning.
 */
export function parseStorageUri(uri: string): StorageLocation {
  if (uri.startsWith('s3://')) return parseS3(uri);
  if (uri.startsWith('file:')) return parseFile(uri);
  const hint = uri.startsWith('/') ? ` (for a local path, write file://${uri})` : '';
  throw new StorageError('InvalidUri', uri, `Unsupported storage URI "${uri}": ${EXPECTED}${hint}.`);
}

function parseS3(uri: string): StorageLocation {
  const rest = uri.slice('s3://'.length);
  const slash = rest.indexOf('/');
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  if (!BUCKET_NAME.test(bucket)) {
    const what = bucket === '' ? 'has no bucket name' : `has an invalid bucket name "${bucket}"`;
    throw new StorageError('InvalidUri', uri, `Storage URI "${uri}" ${what}: ${EXPECTED}.`);
  }
  return { scheme: 's3', bucket, key: slash === -1 ? '' : rest.slice(slash + 1) };
}

function parseFile(uri: string): StorageLocation {
  if (!uri.startsWith('file:///')) {
    // file://data/x would name the host "data": almost always a relative path written by mistake.
    throw new StorageError(
      'InvalidUri',
      uri,
      `Storage URI "${uri}" is not an absolute file URI: ${EXPECTED} (three slashes, then the absolute path).`,
    );
  }
  let path: string;
  try {
    path = fileURLToPath(uri);
  } catch (cause) {
    throw new StorageError('InvalidUri', uri, `Storage URI "${uri}" is not a valid file URI: ${EXPECTED}.`, { cause });
  }
  return { scheme: 'file', bucket: '', key: path.slice(1) };
}

/** The URI of a location; `parseStorageUri(formatStorageUri(l))` gives `l` back. */
export function formatStorageUri(location: StorageLocation): string {
  if (location.scheme === 's3') return `s3://${location.bucket}/${location.key}`;
  // pathToFileURL percent-encodes what must be ('%', '#', '?', spaces) and keeps a trailing '/'.
  return pathToFileURL(`/${location.key}`).href;
}

/** `prefix` joined with a relative key by exactly one '/', or the key alone when prefix is ''. */
export function joinKey(prefix: string, relativeKey: string): string {
  if (prefix === '' || prefix.endsWith('/')) return prefix + relativeKey;
  return `${prefix}/${relativeKey}`;
}

/** The "directory" part of a key prefix: everything up to and including its last '/'. */
export function prefixDirectory(prefix: string): string {
  return prefix.slice(0, prefix.lastIndexOf('/') + 1);
}
