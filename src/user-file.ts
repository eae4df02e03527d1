import { closeSync, constants, fstatSync, opendirSync, openSync, readSync, statfsSync, statSync, type Dir, type Dirent, type Stats } from 'node:fs';
import { KubetlsError, say, type Words } from './errors.js';
import { fileSystemRefusalWords } from './fs-errors.js';
import { BASE_LANGUAGE } from './locale/catalogue.js';

/**
 * The one way kubetls reads a file a learner or a teacher named: certificates from a real node,
 * kubeconfigs and the files they name, bundles, lesson folders, question banks. Whatever the path
 * turns out to be, this returns its bytes or throws one KubetlsError naming it, and never blocks
 * (a FIFO), never reads without end (/dev/zero, /proc) and never reads more than the limit.
 * Folders a learner or teacher names (`--lessons-dir`, a class directory, a node's /etc/kubernetes, a
 * question bank folder) are listed the same way, through readUserDirectory.
 */

const MiB = 1024 * 1024;

/** The largest files kubetls reads, by what they hold (README, "Limits"). */
export const FILE_LIMITS = {
  /** Certificates, bundles, keys, CSRs, kubeconfigs, manifests: a 10 MB CA bundle fits. */
  pki: 16 * MiB,
  /** Lessons, question banks, fix-it task files: the course's largest is under 20 KB; this much renders in about a second. */
  lesson: 256 * 1024,
} as const;

/**
 * Why a file was not read, as catalogue words (errors.file.*, said in the learner's language); `reason`
 * is the message without the file's name in the base language, for reports that name it already.
 */
export class FileRefusedError extends KubetlsError {
  readonly reason: string;

  constructor(message: Words, reason: string, options: { hint?: Words; cause?: unknown } = {}) {
    super(say(BASE_LANGUAGE, message), { hint: options.hint && say(BASE_LANGUAGE, options.hint), cause: options.cause, words: { message, hint: options.hint } });
    this.reason = reason;
  }
}

/** The reason alone, for reports that name the file themselves (a loader's `file: reason` diagnostics). */
export function refusalReason(error: unknown): string {
  if (error instanceof FileRefusedError) return error.reason;
  return error instanceof Error ? error.message : String(error);
}

export interface ReadUserFileOptions {
  /** Refuse files larger than this many bytes (see FILE_LIMITS). */
  limit: number;
  /** How messages name the file; the path by default. */
  name?: string;
  /** The file named first, when the limit is what is left of what it and the files it names may hold together. */
  sharedWith?: { source: string; total: number };
}

// O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);
// statfs f_type of the kernel's pseudo file systems (linux/magic.h)
const PSEUDO_FILE_SYSTEMS = new Map<number, string>([
  [0x9fa0, '/proc'],
  [0x62656572, '/sys'],
]);

export function readUserFile(path: string, options: ReadUserFileOptions): Buffer {
  return withCheckedFile(path, options, (fd, size, name) => readExactly(fd, size, name));
}

/**
 * The first `bytes` bytes of the file (all of it when it is shorter), after the same checks as
 * readUserFile: for what sits at the top of a file, such as a lesson's front matter.
 */
export function readUserFileHead(path: string, options: ReadUserFileOptions & { bytes: number }): { head: Buffer; size: number } {
  return withCheckedFile(path, options, (fd, size, name) => ({ head: readUpTo(fd, Math.min(size, options.bytes), name), size }));
}

function withCheckedFile<T>(path: string, options: ReadUserFileOptions, read: (fd: number, size: number, name: string) => T): T {
  const name = options.name ?? path;
  // stat first: a device or a FIFO is refused without being opened at all
  refuseUnlessRegularFile(statOf(path, name), name);
  refusePseudoFileSystem(path, name);
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (error) {
    throw refusal(error, name);
  }
  try {
    // the path may have been replaced between the stat and the open: judge what was opened
    const stats = fstatSync(fd);
    refuseUnlessRegularFile(stats, name);
    if (stats.size > options.limit) throw tooLarge(name, stats.size, options);
    return read(fd, stats.size, name);
  } finally {
    closeSync(fd);
  }
}

function readUpTo(fd: number, bytes: number, name: string): Buffer {
  const buffer = Buffer.allocUnsafe(bytes);
  let total = 0;
  while (total < bytes) {
    let read: number;
    try {
      read = readSync(fd, buffer, total, bytes - total, null);
    } catch (error) {
      throw refusal(error, name);
    }
    if (read === 0) break;
    total += read;
  }
  return buffer.subarray(0, total);
}

/** The file as UTF-8 text (see readUserFile). */
export function readUserText(path: string, options: ReadUserFileOptions): string {
  return readUserFile(path, options).toString('utf8');
}

/** The most entries kubetls lists in a folder someone named: a class of hundreds, a course of dozens. */
export const DIRECTORY_LIMIT = 10_000;

export interface ReadUserDirectoryOptions {
  /** Refuse folders with more entries than this (default DIRECTORY_LIMIT). */
  limit?: number;
  /** How messages name the folder; the path by default. */
  name?: string;
}

/**
 * The entries of a folder a learner or teacher named, sorted by name, or one KubetlsError naming it:
 * not a directory, a /proc or /sys folder (made up as it is read), more entries than the limit.
 * Entries are described as they are on disk (a symbolic link is a link, never followed), so a caller
 * that walks on decides for itself whether a link may lead out of the folder.
 */
export function readUserDirectory(path: string, options: ReadUserDirectoryOptions = {}): Dirent[] {
  const name = options.name ?? path;
  const limit = options.limit ?? DIRECTORY_LIMIT;
  if (!statOf(path, name).isDirectory()) throw refuse(name, 'not-directory', {}, { key: 'errors.file.not-directory-hint' });
  refusePseudoFileSystem(path, name, 'folder');
  let dir: Dir;
  try {
    dir = opendirSync(path);
  } catch (error) {
    throw refusal(error, name);
  }
  const entries: Dirent[] = [];
  try {
    for (let entry = readEntry(dir, name); entry; entry = readEntry(dir, name)) {
      // stop at one past the limit: a folder of millions is refused without listing it all
      if (entries.length === limit) throw refuse(name, 'too-many-entries', { limit: String(limit) }, { key: 'errors.file.meant-folder-hint' });
      entries.push(entry);
    }
  } finally {
    dir.closeSync();
  }
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function readEntry(dir: Dir, name: string): Dirent | null {
  try {
    return dir.readSync();
  } catch (error) {
    throw refusal(error, name);
  }
}

/** Reads the size fstat gave, and one byte more to notice a file that is not what its size says. */
function readExactly(fd: number, size: number, name: string): Buffer {
  const buffer = Buffer.allocUnsafe(size + 1);
  let total = 0;
  for (;;) {
    let read: number;
    try {
      read = readSync(fd, buffer, total, buffer.length - total, null);
    } catch (error) {
      throw refusal(error, name);
    }
    if (read === 0) break;
    total += read;
    if (total > size) break;
  }
  if (total !== size) {
    throw refuse(name, 'changed-size', {}, { key: 'errors.file.changed-size-hint' });
  }
  return buffer.subarray(0, size);
}

function statOf(path: string, name: string): Stats {
  try {
    return statSync(path);
  } catch (error) {
    throw refusal(error, name);
  }
}

function refuseUnlessRegularFile(stats: Stats, name: string): void {
  if (stats.isFile()) return;
  if (stats.isDirectory()) throw refuse(name, 'directory', {}, { key: 'errors.file.directory-hint' });
  const what = stats.isFIFO() ? 'fifo' : stats.isCharacterDevice() || stats.isBlockDevice() ? 'device' : stats.isSocket() ? 'socket' : 'not-regular';
  throw refuse(name, what, {}, { key: 'errors.file.regular-hint' });
}

function refusePseudoFileSystem(path: string, name: string, kind: 'file' | 'folder' = 'file'): void {
  if (process.platform !== 'linux') return;
  let type: number;
  try {
    type = statfsSync(path).type;
  } catch {
    return; // the open that follows reports any problem with the path
  }
  const where = PSEUDO_FILE_SYSTEMS.get(type);
  if (!where) return;
  if (kind === 'folder') throw refuse(name, 'pseudo-folder', { where }, { key: 'errors.file.folder-hint' });
  throw refuse(name, 'pseudo', { where }, { key: 'errors.file.regular-hint' });
}

function tooLarge(name: string, size: number, options: ReadUserFileOptions): FileRefusedError {
  const sizes = { size: formatSize(size), limit: formatSize(options.limit) };
  return options.sharedWith
    ? refuse(name, 'too-large-shared', { ...sizes, total: formatSize(options.sharedWith.total), source: options.sharedWith.source }, { key: 'errors.file.meant-hint' })
    : refuse(name, 'too-large', sizes, { key: 'errors.file.meant-hint' });
}

function formatSize(bytes: number): string {
  if (bytes >= MiB) return `${(bytes / MiB).toFixed(bytes % MiB === 0 ? 0 : 1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(0)} KiB`;
  return `${bytes} bytes`;
}

/** `name: <why>`: errors.file.<why> says the reason, `{name}: ` before it. */
function refuse(name: string, why: string, params: Record<string, string>, hint?: Words, cause?: unknown): FileRefusedError {
  const reason = { key: `errors.file.${why}`, params };
  return new FileRefusedError({ key: 'errors.file.refused', params: { name, reason } }, say(BASE_LANGUAGE, reason), { hint, cause });
}

function refusal(error: unknown, name: string): FileRefusedError {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return refuse(name, 'no-such-file', {}, undefined, error);
  // the file system said no (permission denied, ...): worded as everywhere else (fs-errors.ts)
  const refused = fileSystemRefusalWords(error);
  if (refused) return new FileRefusedError(refused, say(BASE_LANGUAGE, { key: 'errors.file.cannot-read', params: { reason: { key: `errors.fs.reason.${(error as NodeJS.ErrnoException).code}` } } }), { cause: error });
  const message = error instanceof Error ? error.message : String(error);
  return refuse(name, 'unreadable', { message }, undefined, error);
}
