import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A pseudo-terminal for benchmarks, from util-linux's `script`: the program sees a real terminal of
 * the given size, keys are written to it, and its output is read back as it is drawn.
 */

export interface PtySession {
  child: ChildProcess;
  startedAt: bigint;
  /** Everything drawn so far, escape sequences removed. */
  text(): string;
  write(keys: string): void;
  /** Resolves with the milliseconds since `since` (default: launch) when the pattern shows up. */
  waitFor(pattern: RegExp, options?: { timeoutMs?: number; since?: bigint; from?: number }): Promise<number>;
  /** Characters of text() so far: pass as `from` to look only at what is drawn next. */
  mark(): number;
  /**
   * After a key: resolves with the milliseconds from `since` to the last byte of the frame it drew,
   * once the terminal has been quiet for `quietMs` (blessed draws a frame in one write).
   */
  frameDone(since: bigint, quietMs?: number): Promise<number>;
  /** Like frameDone, but a key that changes nothing (no output at all within `graceMs`) is fine too. */
  settled(since: bigint, quietMs?: number, graceMs?: number): Promise<void>;
  pid(): number;
  rssKiB(): number;
  close(): void;
}

const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]|\x1b\][^\x07]*\x07/g;

export function isolatedHome(): { env: NodeJS.ProcessEnv; cleanup(): void } {
  const home = mkdtempSync(join(tmpdir(), 'kubetls-bench-home-'));
  return {
    env: { HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_DATA_HOME: join(home, 'data'), XDG_STATE_HOME: join(home, 'state') },
    // a killed app's last writes may still be landing
    cleanup: () => rmSync(home, { recursive: true, force: true, maxRetries: 20, retryDelay: 200 }),
  };
}

export function startInPty(command: string, options: { columns?: number; rows?: number; env?: NodeJS.ProcessEnv } = {}): PtySession {
  const columns = options.columns ?? 80;
  const rows = options.rows ?? 24;
  const startedAt = process.hrtime.bigint();
  const child = spawn('script', ['-qfec', `stty cols ${columns} rows ${rows}; exec ${command}`, '/dev/null'], {
    env: { ...process.env, TERM: 'xterm-256color', LANG: 'C.UTF-8', ...options.env },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  let raw = '';
  let text = '';
  let lastChunkAt = 0n;
  let chunks = 0;
  const waiters = new Set<() => void>();
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    lastChunkAt = process.hrtime.bigint();
    chunks++;
    raw += chunk;
    // blessed moves the cursor forward over blanks: turn those moves back into spaces
    text = raw.replace(/\x1b\[(\d*)C/g, (_, n: string) => ' '.repeat(Number(n || 1))).replace(ANSI, '');
    for (const check of [...waiters]) check();
  });
  const session: PtySession = {
    child,
    startedAt,
    text: () => text,
    write: (keys) => {
      child.stdin!.write(keys);
    },
    mark: () => text.length,
    async settled(since, quietMs = 30, graceMs = 300) {
      const before = chunks;
      const started = Date.now();
      while (chunks === before && Date.now() - started < graceMs) await new Promise((r) => setTimeout(r, 2));
      if (chunks === before) return;
      await session.frameDone(since, quietMs).catch(() => undefined);
    },
    frameDone(since, quietMs = 15) {
      // a chunk that arrived after `since` counts, even if it came before this call
      const before = lastChunkAt > since ? chunks - 1 : chunks;
      return new Promise((resolve, reject) => {
        const deadline = Date.now() + 5000;
        const poll = () => {
          const quiet = Number(process.hrtime.bigint() - lastChunkAt) / 1e6 >= quietMs;
          if (chunks > before && quiet) return resolve(Number(lastChunkAt - since) / 1e6);
          if (Date.now() > deadline) return reject(new Error('no frame was drawn'));
          setTimeout(poll, 1);
        };
        poll();
      });
    },
    waitFor(pattern, { timeoutMs = 10_000, since = startedAt, from = 0 } = {}) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!pattern.test(text.slice(from))) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(Number(process.hrtime.bigint() - since) / 1e6);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${pattern} in:\n${text.slice(-600)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    pid() {
      // `script` runs `sh -c "...; exec node ..."`: the exec'd node is script's child
      const found = spawnSync('pgrep', ['-P', String(child.pid)], { encoding: 'utf8' }).stdout.trim().split('\n')[0];
      return Number(found);
    },
    rssKiB() {
      const status = readFileSync(`/proc/${session.pid()}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    },
    close() {
      // the app's pid is found through `script`, so before `script` is gone
      const pid = session.pid();
      child.kill('SIGKILL');
      if (pid) spawnSync('kill', ['-9', String(pid)]);
    },
  };
  return session;
}

/** Resolves when the process exits; the time is from launch. */
export function exitTime(session: PtySession): Promise<number> {
  return new Promise((resolve) => session.child.on('exit', () => resolve(Number(process.hrtime.bigint() - session.startedAt) / 1e6)));
}
