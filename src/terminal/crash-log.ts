import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kubetlsPlaces } from '../places.cjs';

/** Where unexpected errors are written in full, so the screen only ever shows one line. */
export function crashLogDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return kubetlsPlaces({ env }).state;
}

export function writeCrashLog(error: unknown): string {
  const directory = crashLogDirectory();
  const path = join(directory, `error-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}.log`);
  const details = error instanceof Error ? (error.stack ?? error.message) : String(error);
  try {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    writeFileSync(path, `${new Date().toISOString()} kubetls ${process.argv.slice(2).join(' ')}\n${details}\n`, { mode: 0o600 });
    return path;
  } catch {
    return '(could not write a log file)';
  }
}
