import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FieldIssue } from '@sluice/contracts';
import { allowedFileRoots, allowedModelUrls, allowedS3Roots, type AuthSettings } from './settings.js';

/**
 * Where the API may send the service's own hands. A `file://` URI reads or writes the disk of the
 * machines Sluice runs on, and an `s3://` URI the buckets its credentials reach, so outside local
 * mode they are limited to SLUICE_FILE_ROOTS and SLUICE_S3_ROOTS; an http model makes workers call
 * a URL, so SLUICE_MODEL_URL_ALLOW can limit which.
 */

/**
 * The issue for `field` when `uri` is a `file://` or `s3://` URI outside the allowed roots, else
 * undefined. A root may hold `{team}`, the acting team's name: `file:///data/{team}/` gives each team its
 * own folder, so one team cannot read another's inputs or outputs through the API.
 */
export function locationIssue(settings: AuthSettings, uri: string | null | undefined, field: string, team: string): FieldIssue | undefined {
  if (uri?.startsWith('file:')) return fileUriIssue(settings, uri, field, team);
  if (uri?.startsWith('s3:')) return s3UriIssue(settings, uri, field, team);
  return undefined;
}

/**
 * The issue for `field` when `uri` is an `s3://` URI outside SLUICE_S3_ROOTS (`{team}` as for
 * files). S3 keys are names, not paths, but a `..` or `.` segment could be resolved by an HTTP layer
 * on the way: such URIs are refused outright while roots are in force.
 */
function s3UriIssue(settings: AuthSettings, uri: string, field: string, team: string): FieldIssue | undefined {
  const roots = allowedS3Roots(settings)?.map((root) => root.replaceAll('{team}', team));
  if (roots === undefined) return undefined;
  const dotted = /\/\.{1,2}(\/|$)/.test(uri.slice('s3://'.length));
  if (!dotted && roots.some((root) => s3Within(uri, root))) return undefined;
  const configured = roots.length > 0 ? `SLUICE_S3_ROOTS=${roots.join(',')}` : 'SLUICE_S3_ROOTS is not set, so no s3:// location may be used when sign-in is required';
  const folder = roots.map(directoryOf).find((root) => `${uri}/` === root);
  return {
    path: field,
    message: `${uri} is outside the s3:// locations this service may use (${configured})${dotted ? ' and has a . or .. segment' : ''}; ${folder ? `name the folder with its trailing slash, ${folder}: without it, the prefix also matches its neighbours (${uri}-other/...)` : "use a location under one of them, or have the operator add its prefix to SLUICE_S3_ROOTS"}`,
  };
}

/**
 * A root is a folder: `s3://datasets/ml` allows `s3://datasets/ml/...`, never `s3://datasets/ml-research/...`
 * (as a prefix, `s3://datasets/ml` itself lists both, so it is refused too). A bucket root
 * (`s3://datasets/`) also allows the bucket named alone (`s3://datasets`): a listing stays in its bucket.
 */
function s3Within(uri: string, root: string): boolean {
  if (root === 's3://') return true;
  const folder = directoryOf(root);
  if (uri.startsWith(folder)) return true;
  const bucketOnly = !folder.slice('s3://'.length, -1).includes('/');
  return bucketOnly && `${uri}/` === folder;
}

/** `s3://b/ml` → `s3://b/ml/`; a root ending in `/` as it is. */
const directoryOf = (root: string) => (root.endsWith('/') ? root : `${root}/`);

function fileUriIssue(settings: AuthSettings, uri: string, field: string, team: string): FieldIssue | undefined {
  const roots = allowedFileRoots(settings)?.map((root) => root.replaceAll('{team}', team));
  if (roots === undefined) return undefined;
  const path = filePath(uri);
  // A folder named without its trailing slash is a prefix that also matches its neighbours
  // (`/d/ml` lists `/d/ml-research/...`): only `file:///d/ml/` is the root itself.
  const asFolder = uri.endsWith('/');
  if (path !== undefined && roots.some((root) => within(path, filePath(root), asFolder))) return undefined;
  const configured = roots.length > 0 ? `SLUICE_FILE_ROOTS=${roots.join(',')}` : 'SLUICE_FILE_ROOTS is not set, so no file:// location may be used when sign-in is required';
  const folder = path !== undefined && roots.some((root) => filePath(root) === path) ? `${uri}/` : undefined;
  return {
    path: field,
    message: `${uri} is outside the file:// roots this service may use (${configured}); ${folder ? `name the folder with its trailing slash, ${folder}: without it, the prefix also matches its neighbours (${uri}-other/...)` : 'use a location under one of them, or have the operator add its folder to SLUICE_FILE_ROOTS'}`,
  };
}

/** The issue for `field` when an http model's URL is not under SLUICE_MODEL_URL_ALLOW, else undefined. */
export function modelUrlIssue(settings: AuthSettings, url: string | null | undefined, field: string): FieldIssue | undefined {
  const allowed = allowedModelUrls(settings);
  if (!url || allowed === null) return undefined;
  if (allowed.some((prefix) => urlWithin(url, prefix))) return undefined;
  const configured = allowed.length > 0 ? `SLUICE_MODEL_URL_ALLOW=${allowed.join(',')}` : 'SLUICE_MODEL_URL_ALLOW is not set, so no http model URL may be used when sign-in is required';
  return { path: field, message: `${url} is not an allowed model URL (${configured}); use a URL starting with one of them, or have the operator add it to SLUICE_MODEL_URL_ALLOW` };
}

/**
 * Whether `url` is on the allowed entry's origin (scheme, host and port, compared parsed: a string
 * prefix would let `http://models.internal:8080@evil.example/` through) and under its path.
 */
function urlWithin(url: string, allowed: string): boolean {
  let u: URL;
  let a: URL;
  try {
    [u, a] = [new URL(url), new URL(allowed)];
  } catch {
    return false;
  }
  if (u.origin !== a.origin || u.username || u.password) return false;
  const root = a.pathname.replace(/\/+$/, '');
  return root === '' || u.pathname === root || u.pathname.startsWith(`${root}/`);
}

/**
 * The absolute path a file URI names, with `.` and `..` resolved as the storage layer resolves
 * them (fileURLToPath), so `file:///data/../etc` is judged as /etc. Undefined when it names none.
 */
function filePath(uri: string): string | undefined {
  try {
    return posix.normalize(fileURLToPath(uri)).replace(/\/+$/, '') || '/';
  } catch {
    return undefined;
  }
}

/** `path` is below the folder `root`, or is that folder named as one (`asFolder`: a trailing slash). */
function within(path: string, root: string | undefined, asFolder: boolean): boolean {
  if (root === undefined) return false;
  return root === '/' || (path === root && asFolder) || path.startsWith(`${root}/`);
}
