import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_FILE_NAME, configDir, profileDir } from './location.js';
import { SCHEMA_VERSION, type Progress } from './schema.js';

/**
 * A profile's progress as it is on disk, read without conf, a lock or a migration: the app's first
 * screen and every command's choice of words need it before (or instead of) opening the store. A
 * missing, damaged, older or newer file reads as undefined: the store, when opened, reports it.
 */
export function quickReadProgress(file: string): Progress | undefined {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as Partial<Progress>;
    if (data.schemaVersion !== SCHEMA_VERSION || typeof data.settings !== 'object' || data.settings === null || typeof data.lessons !== 'object') return undefined;
    return data as Progress;
  } catch {
    return undefined;
  }
}

/** The language a profile saved in Settings, if it saved one. */
export function savedLanguage(options: { profile: string; env?: NodeJS.ProcessEnv }): string | undefined {
  const file = join(profileDir(configDir({ env: options.env }), options.profile), CONFIG_FILE_NAME);
  const language = quickReadProgress(file)?.settings.language;
  return typeof language === 'string' ? language : undefined;
}
