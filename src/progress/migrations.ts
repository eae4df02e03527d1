import { availableLanguages } from '../locale/catalogue.js';
import { DEFAULT_SETTINGS, SCHEMA_VERSION, SETTINGS_THEMES, type LessonRecord, type Settings } from './schema.js';

/**
 * Versioned migrations of the progress file. `MIGRATIONS[n]` turns a version n-1 file into a
 * version n file; reading runs every step from the file's version up to `SCHEMA_VERSION`, so a
 * v2 is added as one more entry (`2: fromV1`) and a v0 file then goes through both steps.
 *
 * We do not use conf's own `migrations` option: it keys steps by the app's semver, runs them in
 * the constructor outside our lock, and on a file from a newer app it rewrites the version marker
 * down instead of leaving the file alone.
 */

type JsonObject = Record<string, unknown>;

/** The file cannot be understood: it is kept aside and a fresh store starts. */
export class DamagedProgressError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'DamagedProgressError';
  }
}

/** The file comes from a newer kubetls: it is left untouched and nothing is written over it. */
export class NewerProgressError extends Error {
  readonly version: number;
  constructor(version: number) {
    super(`it was written by a newer kubetls (progress schema ${version}; this one knows ${SCHEMA_VERSION})`);
    this.name = 'NewerProgressError';
    this.version = version;
  }
}

export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Version 0: files from before the schema had a version, i.e. with no `schemaVersion`. The only
 * such shape kubetls ever had is the app's session state (`src/tui/session.ts`): lessons as
 * `{done, line, percent}`, `lastLesson`, and the screen `preferences`. Anything else in the file
 * is kept as it is and left to validation, so nothing unrecognised is silently dropped.
 */
function fromUnversioned(old: JsonObject): JsonObject {
  const { preferences, settings, lessons, ...rest } = old;
  const lessonRecords: Record<string, LessonRecord> = {};
  if (isPlainObject(lessons)) {
    for (const [id, value] of Object.entries(lessons)) {
      if (!isPlainObject(value)) continue;
      const done = value['done'] === true;
      const line = typeof value['line'] === 'number' && value['line'] >= 0 ? Math.floor(value['line']) : 0;
      const percent = typeof value['percent'] === 'number' ? Math.min(100, Math.max(0, value['percent'])) : 0;
      lessonRecords[id] = { done, line, percent: done ? 100 : percent };
    }
  }
  return {
    lessons: lessonRecords,
    attempts: [],
    review: {},
    studyDays: [],
    ...rest,
    settings: settingsFrom(isPlainObject(settings) ? settings : isPlainObject(preferences) ? preferences : {}),
  };
}

function settingsFrom(value: JsonObject): Settings {
  const pick = <T extends string>(allowed: readonly T[], candidate: unknown, fallback: T): T =>
    allowed.find((option) => option === candidate) ?? fallback;
  return {
    language: pick(availableLanguages(), value['language'], DEFAULT_SETTINGS.language),
    theme: pick(SETTINGS_THEMES, value['theme'], DEFAULT_SETTINGS.theme),
    monochrome: typeof value['monochrome'] === 'boolean' ? value['monochrome'] : DEFAULT_SETTINGS.monochrome,
  };
}

export const MIGRATIONS: Readonly<Record<number, (old: JsonObject) => JsonObject>> = {
  1: fromUnversioned,
};

/** The version a parsed file declares: 0 when it has none. */
export function fileVersion(data: unknown): number {
  if (!isPlainObject(data)) throw new DamagedProgressError(`it holds ${Array.isArray(data) ? 'a list' : data === null ? 'null' : `a ${typeof data}`}, not a JSON object`);
  const declared = data['schemaVersion'];
  if (declared === undefined) return 0;
  if (typeof declared !== 'number' || !Number.isInteger(declared) || declared < 0) {
    throw new DamagedProgressError(`its schemaVersion ${JSON.stringify(declared)} is not a whole number`);
  }
  return declared;
}

/** Brings a parsed file up to the current version (validation comes after). */
export function migrateToCurrent(data: unknown): JsonObject {
  const from = fileVersion(data);
  if (from > SCHEMA_VERSION) throw new NewerProgressError(from);
  let current = data as JsonObject;
  for (let version = from + 1; version <= SCHEMA_VERSION; version++) {
    const step = MIGRATIONS[version];
    if (!step) throw new Error(`progress: no migration to schema ${version}`);
    current = { ...step(current), schemaVersion: version };
  }
  return current;
}
