import { chmodSync, lstatSync, mkdirSync, readdirSync, renameSync, rmSync, type Stats } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { KubetlsError } from '../../errors.js';

/**
 * The directory `pki init` writes into may be a learner's own: a copy of /etc/kubernetes, a home
 * directory, a folder of notes. Before anything is written, what is there is sorted into what kubetls
 * wrote (it keeps a record, kubetls-sandbox.json) and everything else. Without --force, anything else
 * is refused by name; with --force, what init replaces is moved into a backup directory first, and a
 * symbolic link in the way is moved, never followed, so nothing outside the directory is touched.
 */

export const BACKUP_PREFIX = 'kubetls-backup-';

export interface InitTargetPlan {
  /** Files init writes, relative to the directory (`pki/ca.crt`, `admin.conf`, the record). */
  files: readonly string[];
  /** Directories that belong to the PKI being replaced (nodes, users, manifests, the HSM token). */
  staleDirectories: readonly string[];
  /** Files and directories kubetls wrote in this directory before, as its record says; undefined without a record. */
  ownedBefore: { files: ReadonlySet<string>; directories: readonly string[] } | undefined;
}

export interface PreparedTarget {
  /** Where what init replaces was moved; undefined when nothing was replaced. */
  backup: string | undefined;
  /** Older backups removed so that only the newest KEPT_BACKUPS stay (each forced init, in the app too, makes one). */
  removedBackups: string[];
}

/** How many backups a sandbox keeps: the one just made and the two before it. */
export const KEPT_BACKUPS = 3;

const SHOWN = 5;
const TEMPORARY = /\.tmp-\d+$/;

/** Refuses a directory holding anything kubetls did not write, or a PKI, unless forced; forced, clears the way with a backup. */
export function prepareInitTarget(dir: string, plan: InitTargetPlan, options: { force: boolean; now?: Date }): PreparedTarget {
  const top = lstatOrUndefined(dir);
  if (top === undefined) return { backup: undefined, removedBackups: [] };
  if (!top.isDirectory()) throw KubetlsError.said('pki.errors.init-not-dir', { dir }, { key: 'pki.errors.init-not-dir-hint' });
  if (!options.force) {
    const foreign = foreignEntries(dir, plan);
    if (foreign.length > 0) {
      const shown = foreign.slice(0, SHOWN).join(', ');
      const more = foreign.length - SHOWN;
      throw KubetlsError.said(more > 0 ? 'pki.errors.init-foreign-more' : 'pki.errors.init-foreign', { dir, files: shown, more }, { key: 'pki.errors.init-foreign-hint' });
    }
    const existing = plan.files.find((file) => lstatOrUndefined(join(dir, file)) !== undefined);
    if (existing) throw KubetlsError.said('pki.errors.init-exists', { dir, file: join(dir, existing) }, { key: 'pki.errors.init-exists-hint' });
    return { backup: undefined, removedBackups: [] };
  }
  const backup = moveAside(dir, plan, options.now ?? new Date());
  return { backup, removedBackups: backup ? removeOlderBackups(dir) : [] };
}

/**
 * Keeps the newest KEPT_BACKUPS backup directories of `dir` and removes the rest (their names sort by
 * the time they were made). Only kubetls' own backups: real directories named kubetls-backup-…, never
 * a link, never anything else.
 */
function removeOlderBackups(dir: string): string[] {
  const backups = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name.startsWith(BACKUP_PREFIX))
    .map((entry) => entry.name)
    .sort(byBackupTime);
  const older = backups.slice(0, Math.max(0, backups.length - KEPT_BACKUPS));
  for (const name of older) rmSync(join(dir, name), { recursive: true, force: true });
  return older.map((name) => join(dir, name));
}

/** The n of kubetls-backup-<stamp>-n (0 without one). */
function backupNumber(name: string): number {
  return Number(/Z-(\d+)$/.exec(name)?.[1] ?? 0);
}

/** kubetls-backup-<stamp>[-n]: by stamp, then n (a second backup in the same second is -1, -2, …). */
function byBackupTime(a: string, b: string): number {
  const parts = (name: string): [string, number] => {
    const match = /^(.*Z)(?:-(\d+))?$/.exec(name.slice(BACKUP_PREFIX.length));
    return match ? [match[1]!, Number(match[2] ?? 0)] : [name, 0];
  };
  const [stampA, nA] = parts(a);
  const [stampB, nB] = parts(b);
  return stampA < stampB ? -1 : stampA > stampB ? 1 : nA - nB;
}

/** What is in the directory that kubetls did not write, as paths relative to it. */
function foreignEntries(dir: string, plan: InitTargetPlan): string[] {
  // without a record, nothing in it is kubetls's
  const owned = plan.ownedBefore ?? { files: new Set<string>(), directories: [] };
  const ownedDirectories = new Set(owned.directories);
  const parents = new Set([...owned.files].flatMap(ancestorsOf));
  const foreign: string[] = [];
  const visit = (relativeDir: string): void => {
    for (const name of listDirectory(join(dir, relativeDir))) {
      const path = relativeDir === '' ? name : `${relativeDir}/${name}`;
      const stats = lstatOrUndefined(join(dir, path));
      if (!stats) continue;
      // kubetls writes symbolic links only inside the directories it owns whole (a kubelet's -current.pem)
      if (stats.isSymbolicLink()) foreign.push(path);
      else if (owned.files.has(path) || (plan.ownedBefore && TEMPORARY.test(name))) {
        if (!stats.isFile()) foreign.push(path);
      } else if (stats.isDirectory() && plan.ownedBefore && (ownedDirectories.has(path) || (relativeDir === '' && name.startsWith(BACKUP_PREFIX)))) continue;
      else if (stats.isDirectory() && parents.has(path)) visit(path);
      else foreign.push(stats.isDirectory() ? `${path}/` : path);
    }
  };
  visit('');
  return foreign;
}

/**
 * Moves into a new backup directory every file init will write and every stale directory, and any
 * symbolic link on the way to them (so the writes that follow stay inside `dir`). Returns the backup
 * directory, or undefined when there was nothing to move.
 */
function moveAside(dir: string, plan: InitTargetPlan, now: Date): string | undefined {
  let backup: string | undefined;
  const move = (path: string): void => {
    backup ??= createBackupDirectory(dir, now);
    const target = join(backup, path);
    makePrivateDirectories(backup, dirname(path));
    renameSync(join(dir, path), target);
  };
  // first the directories on the way, so no later lstat looks through a link
  const parents = [...new Set(plan.files.flatMap(ancestorsOf))].sort((a, b) => a.split('/').length - b.split('/').length);
  for (const parent of parents) {
    if (!pathStaysInside(dir, parent)) continue;
    const stats = lstatOrUndefined(join(dir, parent));
    if (stats && !stats.isDirectory()) move(parent);
  }
  for (const path of [...plan.staleDirectories, ...plan.files]) {
    if (pathStaysInside(dir, path) && lstatOrUndefined(join(dir, path))) move(path);
  }
  return backup;
}

/** The directory as it is: whether a component of `path` is a link is checked on the way down. */
function pathStaysInside(dir: string, path: string): boolean {
  let current = dir;
  for (const part of path.split('/').slice(0, -1)) {
    current = join(current, part);
    const stats = lstatOrUndefined(current);
    if (!stats) return true;
    if (!stats.isDirectory()) return false;
  }
  return true;
}

function createBackupDirectory(dir: string, now: Date): string {
  const stamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-');
  // after the last one made this second, even if older ones were removed: names sort by when they were made
  const sameSecond = readdirSync(dir).filter((name) => name === `${BACKUP_PREFIX}${stamp}` || name.startsWith(`${BACKUP_PREFIX}${stamp}-`));
  for (let attempt = sameSecond.length === 0 ? 0 : Math.max(...sameSecond.map(backupNumber)) + 1; ; attempt++) {
    const path = join(dir, `${BACKUP_PREFIX}${stamp}${attempt === 0 ? '' : `-${attempt}`}`);
    try {
      // not recursive: a new directory of kubetls's own, private because it holds keys
      mkdirSync(path, { mode: 0o700 });
      chmodSync(path, 0o700);
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** mkdir -p below `root`, each new directory 0700; `root` itself exists. */
function makePrivateDirectories(root: string, relativePath: string): void {
  let current = root;
  for (const part of relativePath === '.' ? [] : relativePath.split(sep)) {
    current = join(current, part);
    if (lstatOrUndefined(current)) continue;
    mkdirSync(current, { mode: 0o700 });
    chmodSync(current, 0o700);
  }
}

/** `pki/etcd/ca.crt` -> `pki`, `pki/etcd`. */
function ancestorsOf(path: string): string[] {
  const parts = path.split('/');
  return parts.slice(0, -1).map((_, index) => parts.slice(0, index + 1).join('/'));
}

function listDirectory(path: string): string[] {
  try {
    return readdirSync(path).sort();
  } catch {
    return [];
  }
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}
