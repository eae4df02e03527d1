import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A classroom: 40 learners on one host, each kubetls in its own tmux window with its own home.
 * Prints the total resident memory once all are at the home screen, the start-up of the 40th
 * (launched while the other 39 run), and how many failed to start.
 */

const BIN = fileURLToPath(new URL('../../bin/kubetls.cjs', import.meta.url));

export interface ClassroomResult {
  sessions: number;
  started: number;
  failed: number;
  totalRssKiB: number;
  lastStartupMs: number;
}

function tmux(socket: string, args: string[]) {
  return spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
}

async function waitForHome(socket: string, target: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (tmux(socket, ['capture-pane', '-p', '-t', target]).stdout.includes('Start with the first lesson')) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

function rssOfPane(socket: string, target: string): number {
  const shellPid = tmux(socket, ['display-message', '-p', '-t', target, '#{pane_pid}']).stdout.trim();
  const pid = spawnSync('pgrep', ['-P', shellPid], { encoding: 'utf8' }).stdout.trim().split('\n')[0];
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

export async function benchClassroom(sessions = 40): Promise<ClassroomResult> {
  const root = mkdtempSync(join(tmpdir(), 'kubetls-classroom-'));
  const socket = `kubetls-classroom-${process.pid}`;
  const command = (n: number) => {
    const home = join(root, `learner-${n}`);
    return `env HOME=${home} XDG_CONFIG_HOME=${home}/config XDG_DATA_HOME=${home}/data XDG_STATE_HOME=${home}/state LANG=C.UTF-8 TERM=xterm-256color ${process.execPath} ${BIN}; sleep 600`;
  };
  try {
    tmux(socket, ['new-session', '-d', '-x', '80', '-y', '24', '-s', 'class', '-n', 'w1', command(1)]);
    for (let n = 2; n < sessions; n++) tmux(socket, ['new-window', '-d', '-t', 'class', '-n', `w${n}`, command(n)]);
    let started = 0;
    for (let n = 1; n < sessions; n++) if (await waitForHome(socket, `class:w${n}`, 60_000)) started++;
    const launched = process.hrtime.bigint();
    tmux(socket, ['new-window', '-d', '-t', 'class', '-n', `w${sessions}`, command(sessions)]);
    const lastOk = await waitForHome(socket, `class:w${sessions}`, 60_000);
    const lastStartupMs = Number(process.hrtime.bigint() - launched) / 1e6;
    if (lastOk) started++;
    let totalRssKiB = 0;
    for (let n = 1; n <= sessions; n++) totalRssKiB += rssOfPane(socket, `class:w${n}`);
    return { sessions, started, failed: sessions - started, totalRssKiB, lastStartupMs };
  } finally {
    tmux(socket, ['kill-server']);
    rmSync(root, { recursive: true, force: true });
  }
}

export function reportClassroom(result: ClassroomResult): string {
  return [
    `A classroom: ${result.sessions} sessions at once in tmux on this machine`,
    `  started ${result.started}, failed ${result.failed}; total resident memory ${(result.totalRssKiB / 1024).toFixed(0)} MB (${(result.totalRssKiB / 1024 / result.sessions).toFixed(1)} MB each)`,
    `  start-up of the ${result.sessions}th with ${result.sessions - 1} running: ${result.lastStartupMs.toFixed(0)} ms (tmux polling included)`,
  ].join('\n');
}
