import { constants, copyFileSync, existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Conf from 'conf';
import { KubetlsError, say, type Words } from '../errors.js';
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

/**
 * What one open store knows between calls. The functions below read and change it; the store
 * object that `openProgressStore` returns only hands each call to one of them.
 */
interface StoreState {
  readonly profile: string;
  readonly dir: string;
  readonly path: string;
  readonly options: OpenStoreOptions;
  readonly now: () => number;
  conf: Conf<StoredShape> | undefined;
  latest: Progress;
  /** Whether `latest` has ever come from the disk (memory-only changes must build on it). */
  loaded: boolean;
  /** Changes made while the disk could not be written, replayed on the next successful save. */
  pending: Mutation[];
  unsaved: { reason: string; retryAt: number } | undefined;
  newer: NewerProgressError | undefined;
  notice: Words | undefined;
  /** Why the learner's summary could not be written into their class directory, while that holds. */
  classProblem: Words | undefined;
}

export function openProgressStore(options: OpenStoreOptions = {}): ProgressStore {
  const state = initialState(options);
  return {
    profile: state.profile,
    path: state.path,
    read: () => readProgress(state),
    update: (mutation) => updateProgress(state, mutation),
    reset: () => resetProgress(state),
    takeNotice: (language = BASE_LANGUAGE) => takeNotice(state, language),
    warning: (language = BASE_LANGUAGE) => currentWarning(state, language),
    flush: () => flushPending(state),
  };
}

function initialState(options: OpenStoreOptions): StoreState {
  const profile = resolveProfile({ flag: options.profile });
  const dir = profileDir(configDir({ dir: options.dir, env: options.env }), profile);
  return {
    profile,
    dir,
    path: join(dir, CONFIG_FILE_NAME),
    options,
    now: options.now ?? Date.now,
    conf: undefined,
    latest: emptyProgress(options.defaultSettings),
    loaded: false,
    pending: [],
    unsaved: undefined,
    newer: undefined,
    notice: undefined,
    classProblem: undefined,
  };
}

function freshProgress(state: StoreState): Progress {
  return emptyProgress(state.options.defaultSettings);
}

/** Made on first use: conf creates its directory, and opening a store writes nothing to disk. */
function openConf(state: StoreState): Conf<StoredShape> {
  return (state.conf ??= new Conf<StoredShape>({
    cwd: state.dir,
    configName: 'config',
    schema: PROGRESS_JSON_SCHEMA,
    rootSchema: PROGRESS_ROOT_SCHEMA,
    deserialize: (text) => migrateToCurrent(JSON.parse(text)),
    clearInvalidConfig: false,
    accessPropertiesByDotNotation: false,
    // a class shares one server: a learner's progress is theirs to read
    configFileMode: 0o600,
  }));
}

function writeDisk(state: StoreState, progress: Progress): void {
  openConf(state).store = progress as unknown as StoredShape;
}

/** One fresh read. Throws DamagedProgressError, NewerProgressError, or a file-system error. */
function readDisk(state: StoreState): Progress {
  // no file yet: nothing to read, and no reason to have conf create its directory
  if (!existsSync(state.path)) {
    state.loaded = true;
    return freshProgress(state);
  }
  try {
    const data = openConf(state).store;
    state.loaded = true;
    // conf reads a missing file as {}
    return Object.keys(data).length === 0 ? freshProgress(state) : ({ ...data } as unknown as Progress);
  } catch (error) {
    throw asDamage(error);
  }
}

/** conf's complaints about the file's content, as DamagedProgressError; any other error as it was. */
function asDamage(error: unknown): unknown {
  if (error instanceof SyntaxError) return new DamagedProgressError(`it is not valid JSON: ${error.message}`);
  if (error instanceof Error && error.message.startsWith(SCHEMA_VIOLATION)) {
    return new DamagedProgressError(`it does not fit the progress schema: ${error.message.slice(SCHEMA_VIOLATION.length)}`);
  }
  return error;
}

/** Under the lock only: keeps the damaged file under another name and starts afresh. */
function moveAside(state: StoreState, damage: DamagedProgressError): Progress {
  const { path } = state;
  const aside = freeName(path, '.corrupt-', state.now());
  renameSync(path, aside);
  state.notice = { key: 'progress.store.damaged', params: { path, reason: damage.message, aside } };
  return freshProgress(state);
}

/** Under the lock only: a fresh read, or a fresh store when the file is damaged (moved aside). */
function readMovingDamageAside(state: StoreState): Progress {
  try {
    return readDisk(state);
  } catch (error) {
    if (error instanceof DamagedProgressError) return moveAside(state, error);
    throw error;
  }
}

function locked<T>(state: StoreState, work: () => T): T {
  mkdirSync(state.dir, { recursive: true, mode: 0o700 });
  return withFileLock(`${state.path}.lock`, work, state.options.lock);
}

/** Re-read, apply, write, all under the lock. */
function saveUnderLock(state: StoreState, mutations: readonly Mutation[]): Progress {
  return locked(state, () => {
    let current = readMovingDamageAside(state);
    for (const mutation of mutations) current = mutation(current);
    writeDisk(state, current);
    shareWithClass(state, current);
    return current;
  });
}

/**
 * A learner in a class: their summary follows every saved change, still under the lock, so two
 * processes of one learner write it in the order their changes were saved. It never fails a save.
 */
function shareWithClass(state: StoreState, current: Progress): void {
  state.classProblem = undefined;
  if (!current.classroom) return;
  try {
    publishProgress(current, state.profile, state.now());
  } catch (error) {
    const failure = error as NodeJS.ErrnoException;
    state.classProblem = { key: 'progress.store.classUnwritable', params: { dir: current.classroom.dir, reason: failure.code ?? failure.message } };
  }
}

function keepInMemory(state: StoreState, error: NodeJS.ErrnoException): void {
  state.unsaved = { reason: `${error.code}: ${error.message}`, retryAt: state.now() + (state.options.retrySaveMs ?? RETRY_SAVE_MS) };
  if (state.loaded) return;
  // a read-only disk can usually still be read: changes kept in memory go on top of what is there
  try {
    state.latest = readDisk(state);
  } catch {
    // unreadable too: this session starts from an empty store
  }
}

function readOnlyBecauseNewer(state: StoreState, error: NewerProgressError): void {
  state.newer = error;
  state.pending = [];
}

/** Saves `mutations` onto the file; when the disk refuses, says why and returns false. */
function trySave(state: StoreState, mutations: readonly Mutation[]): boolean {
  try {
    state.latest = saveUnderLock(state, mutations);
    state.pending = [];
    state.unsaved = undefined;
    return true;
  } catch (error) {
    if (error instanceof NewerProgressError) readOnlyBecauseNewer(state, error);
    else if (isStorageError(error)) keepInMemory(state, error);
    else throw error;
    return false;
  }
}

function readProgress(state: StoreState): Progress {
  // while changes wait in memory, memory is the truth; a failed read is retried after a pause
  const { unsaved } = state;
  if (state.newer || (unsaved && (state.pending.length > 0 || state.now() < unsaved.retryAt))) return state.latest;
  try {
    state.latest = readDisk(state);
    state.unsaved = undefined;
  } catch (error) {
    if (error instanceof NewerProgressError) {
      readOnlyBecauseNewer(state, error);
      state.latest = freshProgress(state);
    } else if (error instanceof DamagedProgressError) {
      state.latest = recoverFromDamage(state);
    } else if (isStorageError(error)) {
      keepInMemory(state, error);
    } else {
      throw error;
    }
  }
  return state.latest;
}

/** A damaged file found on reading: moved aside under the lock, or, when it cannot be, left alone. */
function recoverFromDamage(state: StoreState): Progress {
  try {
    // another process may have dealt with it meanwhile: read again under the lock
    return locked(state, () => readMovingDamageAside(state));
  } catch (cannotMove) {
    if (!isStorageError(cannotMove)) throw cannotMove;
    // it stays where it is, untouched; this session starts afresh in memory
    keepInMemory(state, cannotMove);
    return freshProgress(state);
  }
}

function updateProgress(state: StoreState, mutation: Mutation): Progress {
  const { unsaved } = state;
  if (state.newer || (unsaved && state.now() < unsaved.retryAt)) return applyInMemory(state, mutation);
  return trySave(state, [...state.pending, mutation]) ? state.latest : applyInMemory(state, mutation);
}

/** A change the disk cannot take now: kept for the next save, unless the file is a newer kubetls'. */
function applyInMemory(state: StoreState, mutation: Mutation): Progress {
  state.latest = mutation(state.latest);
  if (!state.newer) state.pending.push(mutation);
  return state.latest;
}

function resetProgress(state: StoreState): ResetResult {
  if (state.newer) throw cannotReset(state, state.newer);
  let cleared: ResetResult;
  try {
    cleared = locked(state, () => clearWithBackup(state));
  } catch (error) {
    if (!isStorageError(error)) throw error;
    throw KubetlsError.said('progress.store.resetFailed', { dir: dirname(state.path), code: error.code ?? '', reason: error.message }, { key: 'progress.store.nothingChanged' });
  }
  state.latest = cleared.progress;
  state.pending = [];
  state.unsaved = undefined;
  return cleared;
}

/** Under the lock only: copies the file aside, then writes it cleared (settings stay). */
function clearWithBackup(state: StoreState): ResetResult {
  const { path } = state;
  let current: Progress;
  try {
    current = readDisk(state);
  } catch (error) {
    if (error instanceof NewerProgressError) throw cannotReset(state, error);
    if (!(error instanceof DamagedProgressError)) throw error;
    current = freshProgress(state); // the damaged file itself becomes the backup
  }
  let backupPath: string | undefined;
  if (existsSync(path)) {
    backupPath = freeName(path, '.backup-', state.now());
    copyFileSync(path, backupPath, constants.COPYFILE_EXCL);
  }
  const progress = clearProgress(current);
  writeDisk(state, progress);
  return backupPath === undefined ? { progress } : { backupPath, progress };
}

function cannotReset(state: StoreState, newer: NewerProgressError): KubetlsError {
  return KubetlsError.said('progress.store.cannotReset', { path: state.path, reason: newer.message }, { key: 'progress.store.updateOrMove' });
}

function takeNotice(state: StoreState, language: Language): string | undefined {
  const once = state.notice;
  state.notice = undefined;
  return once && say(language, once);
}

function currentWarning(state: StoreState, language: Language): string | undefined {
  const { classProblem, newer, unsaved } = state;
  if (classProblem && !newer && !unsaved) return say(language, classProblem);
  if (newer) return translate(language, 'progress.store.newer', { path: state.path, reason: newer.message });
  if (unsaved) return translate(language, 'progress.store.unsaved', { dir: state.dir, reason: unsaved.reason });
  return undefined;
}

function flushPending(state: StoreState): boolean {
  if (state.newer) return false;
  return state.pending.length === 0 || trySave(state, state.pending);
}
