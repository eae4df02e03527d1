/** File-system refusals in words a learner can act on; used by the command line and the app alike. */

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOTDIR: 'part of the path is a file, not a directory',
  EISDIR: 'it is a directory',
  ENOENT: 'no such file or directory',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
  EXDEV: 'it is on another file system',
  EEXIST: 'something is already there',
};
const VERBS: Record<string, string> = { open: 'open', mkdir: 'create the directory', scandir: 'list', rename: 'rename', unlink: 'remove', rmdir: 'remove', copyfile: 'copy', chmod: 'change the mode of', write: 'write', stat: 'read', lstat: 'read' };

/**
 * The file system said no (a path the learner named is read-only, not theirs, a file where a directory
 * should be, full): that is for them to change, so one line naming the path, not a crash report.
 */
export function fileSystemRefusal(error: unknown): string | undefined {
  const failure = error as NodeJS.ErrnoException;
  const reason = typeof failure?.code === 'string' ? REASONS[failure.code] : undefined;
  if (!reason || typeof failure.path !== 'string') return undefined;
  const verb = VERBS[failure.syscall ?? ''] ?? 'use';
  return `cannot ${verb} ${failure.path}: ${reason}`;
}
