import { StorageError } from './object-store.js';

/** What the store was doing when a file system call failed; it shapes the message. */
export type FileAction = 'listing' | 'reading' | 'writing' | 'deleting';

/** Maps a Node fs error to a StorageError naming the URI and what to check. */
export function fileError(err: unknown, uri: string, action: FileAction): StorageError {
  if (err instanceof StorageError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const detail = err instanceof Error ? err.message : String(err);
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
    case 'EEXIST': // mkdir -p where the parent directory's path is a file
      if (action === 'writing') {
        return new StorageError('Io', uri, `Cannot create ${uri}: a parent of it is a file, not a directory (${detail}).`, { cause: err });
      }
      return new StorageError('NotFound', uri, `No file at ${uri}: check the path.`, { cause: err });
    case 'EISDIR':
      return new StorageError('NotFound', uri, `${uri} is a directory, not an object: use it as a prefix (ending in '/').`, { cause: err });
    case 'EACCES':
    case 'EPERM':
      return new StorageError(
        'AccessDenied',
        uri,
        `Permission denied ${action} ${uri}: check that the user running Sluice may access the file and its directories.`,
        { cause: err },
      );
    case 'ENOSPC':
    case 'EDQUOT':
      return new StorageError('Io', uri, `No space left ${action} ${uri}: free disk space or write the output elsewhere.`, { cause: err });
    default:
      return new StorageError('Io', uri, `Failed ${action} ${uri}: ${detail}`, { cause: err });
  }
}
