import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_FILE_NAME, configDir, profileDir } from './location.js';

/**
 * The language a profile saved in Settings, read without conf, a lock or a migration: the command
 * line asks this on every run only to choose its words, and a missing, damaged or foreign file means
 * "none saved" (the command that owns the file reports its problems).
 */
export function savedLanguage(options: { profile: string; env?: NodeJS.ProcessEnv }): string | undefined {
  try {
    const path = join(profileDir(configDir({ env: options.env }), options.profile), CONFIG_FILE_NAME);
    const data = JSON.parse(readFileSync(path, 'utf8')) as { settings?: { language?: unknown } };
    const language = data?.settings?.language;
    return typeof language === 'string' ? language : undefined;
  } catch {
    return undefined;
  }
}
