import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BACKUP_PREFIX } from './init-target.js';

/**
 * A look at a sandbox (its model, its manifests' checks) reused while nothing in the directory has
 * changed: the home screen looks ahead while the learner rests on "Sandbox", and the screen then draws
 * from it. Changed means any file added, removed, rewritten (size, time, inode) or re-moded; the look
 * is also dropped after a few seconds, because a certificate's health depends on the clock as well.
 */

const KEPT_MS = 10_000;
/** A directory this large is not a sandbox someone is looking at: it is read every time. */
const MOST_ENTRIES = 2_000;

const kept = new Map<string, { fingerprint: string; at: number; value: unknown }>();

/** Every entry under `dir` (backups aside) with its size, time, inode and mode; undefined when it cannot be walked. */
export function directoryFingerprint(dir: string): string | undefined {
  const parts: string[] = [];
  const walk = (relative: string): void => {
    for (const entry of readdirSync(join(dir, relative), { withFileTypes: true })) {
      if (relative === '' && entry.name.startsWith(BACKUP_PREFIX)) continue;
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      const stats = lstatSync(join(dir, path));
      parts.push(`${path}\u0000${stats.size}\u0000${stats.mtimeMs}\u0000${stats.ino}\u0000${stats.mode}`);
      if (parts.length > MOST_ENTRIES) throw new Error('too many entries');
      if (stats.isDirectory()) walk(path);
    }
  };
  try {
    walk('');
  } catch {
    return undefined;
  }
  return parts.join('\n');
}

/** `make()`'s value for `dir`, reused while the directory is unchanged (and for KEPT_MS at most); what throws is not kept. */
export function whileUnchanged<T>(what: string, dir: string, make: () => T, now: number = Date.now()): T {
  const fingerprint = directoryFingerprint(dir);
  if (fingerprint === undefined) return make();
  const key = `${what}\u0000${dir}`;
  const known = kept.get(key);
  if (known && known.fingerprint === fingerprint && now - known.at < KEPT_MS) return known.value as T;
  const value = make();
  kept.set(key, { fingerprint, at: now, value });
  return value;
}
