import { BASE_LANGUAGE, type Language } from './locale/catalogue.js';
import { say, type Words } from './errors.js';

/** File-system refusals in words a learner can act on; used by the command line and the app alike. */

/** The errno codes a learner can act on (the catalogue's errors.fs.reason.<CODE>). */
const REASONS = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EISDIR', 'ENOENT', 'ENOSPC', 'EDQUOT', 'ENAMETOOLONG', 'ELOOP', 'EXDEV', 'EEXIST']);
/** The system calls named by what the learner would call them (errors.fs.cannot.<syscall>); any other is "use". */
const VERBS = new Set(['open', 'mkdir', 'scandir', 'rename', 'unlink', 'rmdir', 'copyfile', 'chmod', 'write', 'stat', 'lstat']);

/**
 * The file system said no (a path the learner named is read-only, not theirs, a file where a directory
 * should be, full): that is for them to change, so one line naming the path, not a crash report.
 */
export function fileSystemRefusal(error: unknown, language: Language = BASE_LANGUAGE): string | undefined {
  const words = fileSystemRefusalWords(error);
  return words && say(language, words);
}

/** The same as catalogue words, for an error that is said later in a language not known yet. */
export function fileSystemRefusalWords(error: unknown): Words | undefined {
  const failure = error as NodeJS.ErrnoException;
  if (typeof failure?.code !== 'string' || !REASONS.has(failure.code) || typeof failure.path !== 'string') return undefined;
  const syscall = failure.syscall ?? '';
  const cannot = { key: `errors.fs.cannot.${VERBS.has(syscall) ? syscall : 'other'}`, params: { path: failure.path } };
  return { key: 'errors.fs.refused', params: { cannot, reason: { key: `errors.fs.reason.${failure.code}` } } };
}
