import { chmodSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** How kubetls writes a sandbox's files: directories 0700, keys and kubeconfigs 0600, certificates 0644, never half a file. */

/**
 * The directory, made 0700 with any missing parents. Only what is made here gets that mode: a
 * directory that was there (the learner's own --dir, a copy of /etc/kubernetes) keeps its owner's.
 */
export function ensurePrivateDirectory(path: string): void {
  const first = mkdirSync(path, { recursive: true, mode: 0o700 });
  if (first === undefined) return;
  for (let created = path; ; created = dirname(created)) {
    chmodSync(created, 0o700);
    if (created === first || dirname(created) === created) break;
  }
}

/**
 * Write via a temporary file and rename, so a crash never leaves half a key behind. The temporary
 * file is created new (a link planted under its name is removed, not followed), and the rename
 * replaces a link at `path` rather than writing through it.
 */
function writeAtomically(path: string, content: string | Buffer, mode: number): void {
  ensurePrivateDirectory(dirname(path));
  const temporary = `${path}.tmp-${process.pid}`;
  rmSync(temporary, { force: true });
  writeFileSync(temporary, content, { mode, flag: 'wx' });
  chmodSync(temporary, mode);
  renameSync(temporary, path);
}

export function writePrivateFile(path: string, content: string | Buffer): void {
  writeAtomically(path, content, 0o600);
}

export function writePublicFile(path: string, content: string | Buffer): void {
  writeAtomically(path, content, 0o644);
}

