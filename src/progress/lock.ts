import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { hostname } from 'node:os';

/**
 * A lock file created with O_EXCL (`wx`): whoever creates it holds the lock. It records who holds
 * it, so a lock left by a crashed process is recognised and broken:
 * - on this host, when its process no longer exists;
 * - anywhere, when it is older than `staleMs` (another host, or the pid was reused).
 * Holders keep it for one read-apply-write (milliseconds), so `staleMs` can be short.
 *
 * Synchronous on purpose: the store's callers (the TUI's key handlers, the CLI) save in one step.
 */

export interface LockOptions {
  /** A lock older than this is broken whoever holds it. */
  staleMs?: number;
  /** Give up waiting after this long (LockTimeoutError). */
  timeoutMs?: number;
}

interface LockOwner {
  pid: number;
  host: string;
  token: string;
}

export class LockTimeoutError extends Error {
  readonly code = 'ELOCKTIMEOUT';
  constructor(lockPath: string, waitedMs: number) {
    super(`${lockPath} is held by another kubetls (waited ${Math.round(waitedMs / 1000)} s)`);
    this.name = 'LockTimeoutError';
  }
}

const DEFAULT_STALE_MS = 10_000;
const DEFAULT_TIMEOUT_MS = 30_000;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** Runs `work` while holding `lockPath`; the lock is released however `work` ends. */
export function withFileLock<T>(lockPath: string, work: () => T, options: LockOptions = {}): T {
  const token = acquire(lockPath, options);
  try {
    return work();
  } finally {
    release(lockPath, token);
  }
}

function acquire(lockPath: string, options: LockOptions): string {
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const owner: LockOwner = { pid: process.pid, host: hostname(), token: randomBytes(8).toString('hex') };
  const started = Date.now();
  let pause = 1;
  for (;;) {
    if (tryCreate(lockPath, owner)) return owner.token;
    const held = statOrUndefined(lockPath);
    if (held && isStale(lockPath, held, staleMs)) {
      breakStaleLock(lockPath, held, staleMs);
      continue;
    }
    const waited = Date.now() - started;
    if (waited > timeoutMs) throw new LockTimeoutError(lockPath, waited);
    // jitter keeps two waiters from retrying in lock-step
    sleepSync(pause + Math.random() * pause);
    pause = Math.min(pause * 2, 4);
  }
}

/** true: created and ours; false: someone holds it. Other errors (read-only, full disk) are thrown. */
function tryCreate(lockPath: string, owner: LockOwner): boolean {
  let fd: number;
  try {
    fd = openSync(lockPath, 'wx', 0o600);
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, JSON.stringify(owner));
  } catch (error) {
    // a full disk: an empty lock would block everyone for `staleMs`, so take it back
    closeSync(fd);
    unlinkSync(lockPath);
    throw error;
  }
  closeSync(fd);
  return true;
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

function readOwner(lockPath: string): LockOwner | undefined {
  try {
    const parsed = JSON.parse(readFileSync(lockPath, 'utf8')) as Partial<LockOwner>;
    return typeof parsed.pid === 'number' && typeof parsed.host === 'string' && typeof parsed.token === 'string' ? (parsed as LockOwner) : undefined;
  } catch {
    // gone, or caught between create and write: judged by age alone
    return undefined;
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user
    return errorCode(error) === 'EPERM';
  }
}

function isStale(lockPath: string, held: Stats, staleMs: number): boolean {
  if (Date.now() - held.mtimeMs > staleMs) return true;
  const owner = readOwner(lockPath);
  return owner !== undefined && owner.host === hostname() && !processExists(owner.pid);
}

/**
 * Removes a stale lock, but only the one that was judged stale: two waiters may both judge it,
 * and the slower must not delete the lock the faster has just taken. A second O_EXCL file makes
 * the check-and-delete one step.
 */
function breakStaleLock(lockPath: string, judged: Stats, staleMs: number): void {
  const breakerPath = `${lockPath}.break`;
  let fd: number;
  try {
    fd = openSync(breakerPath, 'wx', 0o600);
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw error;
    // a breaker that crashed mid-way leaves this behind; it is only ever held for a moment
    const breaker = statOrUndefined(breakerPath);
    if (breaker && Date.now() - breaker.mtimeMs > staleMs) unlinkQuietly(breakerPath);
    else sleepSync(1);
    return;
  }
  try {
    const now = statOrUndefined(lockPath);
    if (now && now.ino === judged.ino && now.mtimeMs === judged.mtimeMs) unlinkQuietly(lockPath);
  } finally {
    closeSync(fd);
    unlinkQuietly(breakerPath);
  }
}

function release(lockPath: string, token: string): void {
  // if ours was broken as stale (we were stopped for a long time), the file is someone else's now
  if (readOwner(lockPath)?.token === token) unlinkQuietly(lockPath);
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
}
