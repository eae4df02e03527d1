import { join, resolve } from 'node:path';
import { kubetlsPlaces } from '../places.cjs';
import { KubetlsError } from '../errors.js';

/**
 * Where a profile's progress file lives, under the config place of src/places.cts (conf's own
 * directory, or `KUBETLS_CONFIG_DIR` for tests and classrooms); the `dir` option puts it elsewhere.
 *
 *   <dir>/config.json                    the default profile
 *   <dir>/profiles/<name>/config.json    any other profile
 */

export const DEFAULT_PROFILE = 'default';
export const CONFIG_FILE_NAME = 'config.json';

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
  if (options.dir) return resolve(options.dir);
  return kubetlsPlaces({ env: options.env }).config;
}

/** The directory of one profile's `config.json`. */
export function profileDir(baseDir: string, profile: string): string {
  if (!isValidProfileName(profile)) throw new KubetlsError(`invalid profile name ${JSON.stringify(profile)}`);
  return profile === DEFAULT_PROFILE ? baseDir : join(baseDir, 'profiles', profile);
}
