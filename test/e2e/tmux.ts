import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, tempDir } from '../helpers.js';

/**
 * Drives the real app in a real terminal: tmux runs kubetls in a detached session of a given size,
 * keys go in with send-keys, the screen comes back with capture-pane. Every test gets its own tmux
 * server socket and its own config and data directories.
 */

export interface TerminalOptions {
  columns?: number;
  rows?: number;
  args?: string[];
  env?: Record<string, string>;
  /** Reuse a learner's home from an earlier run (a restart). */
  home?: string;
  /** Set up files in the home before the app starts. */
  prepare?: (home: string) => void;
}

export interface Terminal {
  home: string;
  socket: string;
  screen(): string;
  /** The screen with its colour and attribute escape sequences. */
  screenWithEscapes(): string;
  keys(...keys: string[]): void;
  type(text: string): void;
  waitFor(pattern: RegExp | string | ((screen: string) => boolean), timeoutMs?: number): Promise<string>;
  waitForExit(timeoutMs?: number): Promise<string>;
  resize(columns: number, rows: number): void;
  /** tmux's paste buffer: what the app copied (tmux passes it on to the outer terminal's clipboard). */
  pasteBuffer(): string;
  /**
   * Everything the app has written so far as text (escapes out, cursor moves over blanks as spaces):
   * frames a capture of the screen never sees, such as a working line drawn and gone within a moment.
   */
  written(): string;
  pid(): number;
  close(): void;
}

let counter = 0;

function tmux(socket: string, args: string[]) {
  return spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
}

export function startApp(options: TerminalOptions = {}): Terminal {
  const home = options.home ?? tempDir('kubetls-tui-');
  options.prepare?.(home);
  const socket = `kubetls-test-${process.pid}-${++counter}`;
  const env: Record<string, string> = {
    HOME: home,
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_DATA_HOME: join(home, 'data'),
    XDG_STATE_HOME: join(home, 'state'),
    LANG: 'C.UTF-8',
    TERM: 'xterm-256color',
    ...options.env,
  };
  const exports = Object.entries(env).map(([key, value]) => `${key}=${shellQuote(value)}`).join(' ');
  // when the app exits, the pane stays to show what the terminal was left with
  const command = `env ${exports} ${shellQuote(process.execPath)} ${shellQuote(BIN)} ${(options.args ?? []).map(shellQuote).join(' ')}; echo "[exit $?]"; sleep 600`;
  const started = tmux(socket, ['new-session', '-d', '-x', String(options.columns ?? 80), '-y', String(options.rows ?? 24), '-s', 'app', command]);
  if (started.status !== 0) throw new Error(`tmux failed to start: ${started.stderr}`);
  tmux(socket, ['set-option', '-t', 'app', 'remain-on-exit', 'on']);
  const writtenFile = join(home, '.tty-written');
  tmux(socket, ['pipe-pane', '-o', '-t', 'app', `cat >> ${shellQuote(writtenFile)}`]);
  const screen = () => tmux(socket, ['capture-pane', '-p', '-t', 'app']).stdout;
  const terminal: Terminal = {
    home,
    socket,
    screen,
    screenWithEscapes: () => tmux(socket, ['capture-pane', '-p', '-e', '-t', 'app']).stdout,
    keys: (...keys) => {
      tmux(socket, ['send-keys', '-t', 'app', ...keys]);
    },
    type: (text) => {
      tmux(socket, ['send-keys', '-t', 'app', '-l', text]);
    },
    async waitFor(pattern, timeoutMs = 8000) {
      const deadline = Date.now() + timeoutMs;
      const matches = (shown: string) => (typeof pattern === 'string' ? shown.includes(pattern) : typeof pattern === 'function' ? pattern(shown) : pattern.test(shown));
      let last = '';
      while (Date.now() < deadline) {
        last = screen();
        if (matches(last)) {
          // a capture can fall between two writes of one frame (a busy machine splits them): only a
          // screen that stays the same a moment later is the one the app drew
          await new Promise((r) => setTimeout(r, 40));
          const again = screen();
          if (again === last) return last;
          if (matches(again)) last = again;
          continue;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`timed out waiting for ${pattern}; the screen shows:\n${last}`);
    },
    waitForExit: (timeoutMs = 8000) => terminal.waitFor(/\[exit \d+\]/, timeoutMs),
    resize(columns, rows) {
      tmux(socket, ['resize-window', '-t', 'app', '-x', String(columns), '-y', String(rows)]);
    },
    pasteBuffer: () => tmux(socket, ['show-buffer']).stdout,
    written: () => {
      const raw = existsSync(writtenFile) ? readFileSync(writtenFile, 'utf8') : '';
      return raw.replace(/\x1b\[(\d*)C/g, (_, n: string) => ' '.repeat(Number(n || 1))).replace(/\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]|\x1b\][^\x07]*\x07/g, '');
    },
    pid() {
      // the pane runs the shell; kubetls is its child
      const shellPid = tmux(socket, ['display-message', '-p', '-t', 'app', '#{pane_pid}']).stdout.trim();
      const child = spawnSync('pgrep', ['-P', shellPid, '-f', 'kubetls.cjs'], { encoding: 'utf8' }).stdout.trim().split('\n')[0];
      return Number(child);
    },
    close() {
      tmux(socket, ['kill-server']);
    },
  };
  return terminal;
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The characters a captured screen (`capture-pane -e`) draws in black on the terminal's default
 * background: invisible on a dark terminal. Returns them as runs of text, one per place they occur.
 */
export function blackOnDefaultBackground(captured: string): string[] {
  const runs: string[] = [];
  let fg: string | undefined;
  let bg: string | undefined;
  let reverse = false;
  let run = '';
  const flush = () => {
    if (run.trim()) runs.push(run.trim());
    run = '';
  };
  const sgr = (params: string) => {
    const codes = params === '' ? [0] : params.split(/[;:]/).map(Number);
    for (let i = 0; i < codes.length; i++) {
      const code = codes[i]!;
      if (code === 0) [fg, bg, reverse] = [undefined, undefined, false];
      else if (code === 7) reverse = true;
      else if (code === 27) reverse = false;
      else if ((code >= 30 && code <= 37) || (code >= 90 && code <= 97)) fg = String(code >= 90 ? code - 90 + 8 : code - 30);
      else if (code === 39) fg = undefined;
      else if ((code >= 40 && code <= 47) || (code >= 100 && code <= 107)) bg = String(code >= 100 ? code - 100 + 8 : code - 40);
      else if (code === 49) bg = undefined;
      else if (code === 38 || code === 48) {
        const value = codes[i + 1] === 5 ? String(codes[i + 2]) : `rgb(${codes.slice(i + 2, i + 5).join(',')})`;
        if (code === 38) fg = value;
        else bg = value;
        i += codes[i + 1] === 5 ? 2 : 4;
      }
    }
  };
  const black = (colour: string | undefined) => colour === '0' || colour === 'rgb(0,0,0)';
  for (const token of captured.match(/\x1b\[[0-9;:]*m|\x1b[^[]|[\s\S]/g) ?? []) {
    if (token.startsWith('\x1b[')) {
      sgr(token.slice(2, -1));
      continue;
    }
    if (token.startsWith('\x1b')) continue;
    if (token === '\n') {
      flush();
      continue;
    }
    // with reverse video the foreground colour fills the cell and the text takes the background's
    const invisible = reverse ? black(bg) && fg === undefined : black(fg) && bg === undefined;
    if (invisible) run += token;
    else flush();
  }
  flush();
  return runs;
}

// ---- moving around the app, as the tests do it ----------------------------------------------------

const MENU = ['Lessons', 'Sandbox', 'Practice quiz', 'Exam', 'Review', 'Progress', 'Settings', 'Help', 'Quit'];

/** From the home screen (its selection at the top), open a menu entry. */
export function openMenu(on: Terminal, entry: string): void {
  on.keys('g', ...Array<string>(MENU.indexOf(entry)).fill('j'), 'Enter');
}

/** From a fresh start: Lessons, then lesson 1 at its top. */
export async function openFirstLesson(on: Terminal): Promise<void> {
  await on.waitFor('Start with the first lesson');
  on.keys('Enter');
  await on.waitFor(/1\. .*new/);
  on.keys('Enter');
  await on.waitFor(/\d+% +line 1\//);
}
