import { join, resolve } from 'node:path';
import envPaths from 'env-paths';
import { KubetlsError } from '../errors.js';

/**
 * Where a profile's progress file lives. By default conf's own place, the per-user config
 * directory (`$XDG_CONFIG_HOME/kubetls-nodejs`, else `~/.config/kubetls-nodejs` on Linux);
 * `KUBETLS_CONFIG_DIR` (or the `dir` option) puts it elsewhere, for tests and classrooms.
 *
 *   <dir>/config.json                    the default profile
 *   <dir>/profiles/<name>/config.json    any other profile
 */

export const DEFAULT_PROFILE = 'default';
export const CONFIG_FILE_NAME = 'config.json';
/** conf's naming: project name plus the `-nodejs` suffix, so the file sits where conf users expect. */
const PROJECT_NAME = 'kubetls';
const PROJECT_SUFFIX = 'nodejs';

const PROFILE_NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;

/** Lower-case only: on case-insensitive file systems (macOS) "Ann" and "ann" would share a file. */
export function isValidProfileName(name: string): boolean {
  return PROFILE_NAME.test(name);
}

/** The active profile: `--profile`, else `KUBETLS_PROFILE`, else "default"; a bad name is refused. */
export function resolveProfile(options: { flag?: string | undefined; env?: NodeJS.ProcessEnv }): string {
  const fromEnv = options.env?.['KUBETLS_PROFILE'];
  const [name, source] =
    options.flag !== undefined ? [options.flag, '--profile'] : fromEnv !== undefined && fromEnv !== '' ? [fromEnv, 'KUBETLS_PROFILE'] : [DEFAULT_PROFILE, 'default'];
  if (!isValidProfileName(name)) {
    throw new KubetlsError(`invalid profile name ${JSON.stringify(name)} (from ${source})`, {
      hint: 'use 1-32 lower-case letters, digits, "-" or "_", starting with a letter or digit, e.g. --profile ann',
    });
  }
  return name;
}

/** The directory that holds every profile's progress. */
export function configDir(options: { dir?: string | undefined; env?: NodeJS.ProcessEnv } = {}): string {
  const chosen = options.dir ?? options.env?.['KUBETLS_CONFIG_DIR'];
  if (chosen) return resolve(chosen);
  // env-paths is what conf itself uses for the default (it reads XDG_CONFIG_HOME from the process)
  return envPaths(PROJECT_NAME, { suffix: PROJECT_SUFFIX }).config;
}

/** The directory of one profile's `config.json`. */
export function profileDir(baseDir: string, profile: string): string {
  if (!isValidProfileName(profile)) throw new KubetlsError(`invalid profile name ${JSON.stringify(profile)}`);
  return profile === DEFAULT_PROFILE ? baseDir : join(baseDir, 'profiles', profile);
}
