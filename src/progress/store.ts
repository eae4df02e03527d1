import { constants, copyFileSync, existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Conf from 'conf';
import { KubetlsError, type Words } from '../errors.js';
import { BASE_LANGUAGE, translate, type Language } from '../locale/catalogue.js';
import { CONFIG_FILE_NAME, configDir, profileDir, resolveProfile } from './location.js';
import { withFileLock, type LockOptions } from './lock.js';
import { DamagedProgressError, NewerProgressError, migrateToCurrent } from './migrations.js';
import { clearProgress, type Mutation } from './mutations.js';
import { PROGRESS_JSON_SCHEMA, PROGRESS_ROOT_SCHEMA, emptyProgress, type Progress, type Settings } from './schema.js';
import { publishProgress } from '../classroom/files.js';

/**
 * The progress store of one profile, on conf: conf reads the file through the migrations (its
 * `deserialize` hook), validates every read and write against the JSON Schema (ajv), and writes
 * atomically (temporary file + rename). What conf does not do, this adds:
 * - two processes never lose each other's updates: every change is a function applied under a
 *   lock file to a fresh read of the file, then written (re-read, apply, write);
 * - a damaged file is moved aside (`config.json.corrupt-<time>`), a fresh store starts, and the
 *   learner is told once where the old file went;
 * - a read-only or full disk keeps the app working in memory, with a warning, and retries later;
 *   the file on disk is never deleted;
 * - a file from a newer kubetls is left alone.
 */

export interface OpenStoreOptions {
  /** Validated; default "default". */
  profile?: string;
  /** The directory for all profiles; default `KUBETLS_CONFIG_DIR`, else conf's config directory. */
  dir?: string;
  env?: NodeJS.ProcessEnv;
  /** Settings for a store that does not exist yet (e.g. the language from the locale). */
  defaultSettings?: Settings;
  now?: () => number;
  lock?: LockOptions;
  /** After a failed save, how long updates stay in memory before the disk is tried again. */
  retrySaveMs?: number;
}

export interface ResetResult {
  /** The copy of the file as it was, when there was one. */
  backupPath?: string;
  progress: Progress;
}

export interface ProgressStore {
  readonly profile: string;
  /** The profile's `config.json`. */
  readonly path: string;
  /** The current progress, read fresh from disk (or from memory while it cannot be saved). */
  read(): Progress;
  /** Applies `mutation` to the freshest progress and saves it; returns the result. */
  update(mutation: Mutation): Progress;
  /** Clears the progress (settings stay), keeping a timestamped copy of the file. */
  reset(): ResetResult;
  /** A message to show once, in `language`: a damaged file was moved aside. Undefined after the first call. */
  takeNotice(language?: Language): string | undefined;
  /** Shown for as long as it holds, in `language`: progress is not being saved, and why. */
  warning(language?: Language): string | undefined;
  /** Tries to save what is held in memory; true when nothing is left unsaved. */
  flush(): boolean;
}

const RETRY_SAVE_MS = 30_000;
const SCHEMA_VIOLATION = 'Config schema violation: ';

type StoredShape = Record<string, unknown>;

/** An error from the file system (read-only, full disk, no permission, a file where a directory should be). */
function isStorageError(error: unknown): error is NodeJS.ErrnoException {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code);
}

function fileStamp(ms: number): string {
  // no ':' in file names, for Windows and for scp
  return new Date(ms).toISOString().replace(/:/g, '-');
}

/** The first free `<path><suffix><stamp>[-n]`. */
function freeName(path: string, suffix: string, ms: number): string {
  const base = `${path}${suffix}${fileStamp(ms)}`;
  let candidate = base;
  for (let n = 1; existsSync(candidate); n++) candidate = `${base}-${n}`;
  return candidate;
}

export function openProgressStore(options: OpenStoreOptions = {}): ProgressStore {
  const profile = resolveProfile({ flag: options.profile });
  const dir = profileDir(configDir({ dir: options.dir, env: options.env }), profile);
  const path = join(dir, CONFIG_FILE_NAME);
  const lockPath = `${path}.lock`;
  const now = options.now ?? Date.now;
  const fresh = () => emptyProgress(options.defaultSettings);

  let conf: Conf<StoredShape> | undefined;
  let latest = fresh();
  /** Whether `latest` has ever come from the disk (memory-only changes must build on it). */
  let loaded = false;
  /** Changes made while the disk could not be written, replayed on the next successful save. */
  let pending: Mutation[] = [];
  let unsaved: { reason: string; retryAt: number } | undefined;
  let newer: NewerProgressError | undefined;
  let notice: Words | undefined;
  /** Why the learner's summary could not be written into their class directory, while that holds. */
  let classProblem: Words | undefined;

  const openConf = (): Conf<StoredShape> =>
    (conf ??= new Conf<StoredShape>({
      cwd: dir,
      configName: 'config',
      schema: PROGRESS_JSON_SCHEMA,
      rootSchema: PROGRESS_ROOT_SCHEMA,
      deserialize: (text) => migrateToCurrent(JSON.parse(text)),
      clearInvalidConfig: false,
      accessPropertiesByDotNotation: false,
      // a class shares one server: a learner's progress is theirs to read
      configFileMode: 0o600,
    }));

  /** One fresh read. Throws DamagedProgressError, NewerProgressError, or a file-system error. */
  const readDisk = (): Progress => {
    // no file yet: nothing to read, and no reason to have conf create its directory
    if (!existsSync(path)) {
      loaded = true;
      return fresh();
    }
    try {
      const data = openConf().store;
      loaded = true;
      // conf reads a missing file as {}
      return Object.keys(data).length === 0 ? fresh() : ({ ...data } as unknown as Progress);
    } catch (error) {
      if (error instanceof SyntaxError) throw new DamagedProgressError(`it is not valid JSON: ${error.message}`);
      if (error instanceof Error && error.message.startsWith(SCHEMA_VIOLATION)) {
        throw new DamagedProgressError(`it does not fit the progress schema: ${error.message.slice(SCHEMA_VIOLATION.length)}`);
      }
      throw error;
    }
  };

  /** Under the lock only: keeps the damaged file under another name and starts afresh. */
  const moveAside = (damage: DamagedProgressError): Progress => {
    const aside = freeName(path, '.corrupt-', now());
    renameSync(path, aside);
    notice = { key: 'progress.store.damaged', params: { path, reason: damage.message, aside } };
    return fresh();
  };

  const locked = <T>(work: () => T): T => {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return withFileLock(lockPath, work, options.lock);
  };

  /** Re-read, apply, write, all under the lock. */
  const save = (mutations: readonly Mutation[]): Progress =>
    locked(() => {
      let current: Progress;
      try {
        current = readDisk();
      } catch (error) {
        if (!(error instanceof DamagedProgressError)) throw error;
        current = moveAside(error);
      }
      for (const mutation of mutations) current = mutation(current);
      openConf().store = current as unknown as StoredShape;
      shareWithClass(current);
      return current;
    });

  /**
   * A learner in a class: their summary follows every saved change, still under the lock, so two
   * processes of one learner write it in the order their changes were saved. It never fails a save.
   */
  const shareWithClass = (current: Progress): void => {
    if (!current.classroom) {
      classProblem = undefined;
      return;
    }
    try {
      publishProgress(current, profile, now());
      classProblem = undefined;
    } catch (error) {
      const failure = error as NodeJS.ErrnoException;
      classProblem = { key: 'progress.store.classUnwritable', params: { dir: current.classroom.dir, reason: failure.code ?? failure.message } };
    }
  };

  const keepInMemory = (error: NodeJS.ErrnoException): void => {
    unsaved = { reason: `${error.code}: ${error.message}`, retryAt: now() + (options.retrySaveMs ?? RETRY_SAVE_MS) };
    if (loaded) return;
    // a read-only disk can usually still be read: changes kept in memory go on top of what is there
    try {
      latest = readDisk();
    } catch {
      // unreadable too: this session starts from an empty store
    }
  };

  const readOnlyBecauseNewer = (error: NewerProgressError): void => {
    newer = error;
    pending = [];
  };

  /** Saves `mutations` onto the file; when the disk refuses, says why and returns false. */
  const trySave = (mutations: readonly Mutation[]): boolean => {
    try {
      latest = save(mutations);
      pending = [];
      unsaved = undefined;
      return true;
    } catch (error) {
      if (error instanceof NewerProgressError) readOnlyBecauseNewer(error);
      else if (isStorageError(error)) keepInMemory(error);
      else throw error;
      return false;
    }
  };

  return {
    profile,
    path,

    read() {
      // while changes wait in memory, memory is the truth; a failed read is retried after a pause
      if (newer || (unsaved && (pending.length > 0 || now() < unsaved.retryAt))) return latest;
      try {
        latest = readDisk();
        unsaved = undefined;
      } catch (error) {
        if (error instanceof NewerProgressError) {
          readOnlyBecauseNewer(error);
          latest = fresh();
        } else if (error instanceof DamagedProgressError) {
          try {
            latest = locked(() => {
              try {
                return readDisk(); // another process may have dealt with it meanwhile
              } catch (again) {
                if (again instanceof DamagedProgressError) return moveAside(again);
                throw again;
              }
            });
          } catch (cannotMove) {
            if (!isStorageError(cannotMove)) throw cannotMove;
            // it stays where it is, untouched; this session starts afresh in memory
            keepInMemory(cannotMove);
            latest = fresh();
          }
        } else if (isStorageError(error)) {
          keepInMemory(error);
        } else {
          throw error;
        }
      }
      return latest;
    },

    update(mutation) {
      const inMemory = () => {
        latest = mutation(latest);
        if (!newer) pending.push(mutation);
        return latest;
      };
      if (newer || (unsaved && now() < unsaved.retryAt)) return inMemory();
      return trySave([...pending, mutation]) ? latest : inMemory();
    },

    reset() {
      if (newer) throw KubetlsError.said('progress.store.cannotReset', { path, reason: newer.message }, { key: 'progress.store.updateOrMove' });
      let backupPath: string | undefined;
      try {
        latest = locked(() => {
          let current: Progress;
          try {
            current = readDisk();
          } catch (error) {
            if (error instanceof NewerProgressError) throw KubetlsError.said('progress.store.cannotReset', { path, reason: error.message }, { key: 'progress.store.updateOrMove' });
            if (!(error instanceof DamagedProgressError)) throw error;
            current = fresh(); // the damaged file itself becomes the backup
          }
          if (existsSync(path)) {
            backupPath = freeName(path, '.backup-', now());
            copyFileSync(path, backupPath, constants.COPYFILE_EXCL);
          }
          const cleared = clearProgress(current);
          openConf().store = cleared as unknown as StoredShape;
          return cleared;
        });
      } catch (error) {
        if (!isStorageError(error)) throw error;
        throw KubetlsError.said('progress.store.resetFailed', { dir: dirname(path), code: error.code ?? '', reason: error.message }, { key: 'progress.store.nothingChanged' });
      }
      pending = [];
      unsaved = undefined;
      return backupPath === undefined ? { progress: latest } : { backupPath, progress: latest };
    },

    takeNotice(language = BASE_LANGUAGE) {
      const once = notice;
      notice = undefined;
      return once && translate(language, once.key, once.params);
    },

    warning(language = BASE_LANGUAGE) {
      if (classProblem && !newer && !unsaved) return translate(language, classProblem.key, classProblem.params);
      if (newer) return translate(language, 'progress.store.newer', { path, reason: newer.message });
      if (unsaved) return translate(language, 'progress.store.unsaved', { dir, reason: unsaved.reason });
      return undefined;
    },

    flush() {
      if (newer) return false;
      return pending.length === 0 || trySave(pending);
    },
  };
}
